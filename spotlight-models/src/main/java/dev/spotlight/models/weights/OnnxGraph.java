package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Spotlight needs from an ONNX {@code ModelProto}: the graph's initializers and its nodes
 * (op type, name, inputs, outputs, and the tensor of each Constant node). Everything else — value
 * infos, opset imports, doc strings, functions — is skipped by wire type. Field numbers are those
 * of onnx/onnx.proto.
 */
record OnnxGraph(Map<String, OnnxTensor> initializers, List<Node> nodes) {

    /** A graph node; {@code value} is the tensor attribute of a Constant node, else null. */
    record Node(String opType, String name, List<String> inputs, List<String> outputs, OnnxTensor value) {
    }

    static OnnxGraph parse(MemorySegment file, String source) {
        ProtoReader model = new ProtoReader(file, source);
        OnnxGraph graph = null;
        while (model.hasMore()) {
            int tag = model.tag("ModelProto");
            if (tag == (7 << 3 | ProtoReader.LEN)) {
                graph = parseGraph(model.message("ModelProto.graph"));
            } else {
                model.skip(tag, "ModelProto field " + (tag >>> 3));
            }
        }
        if (graph == null) {
            throw new ModelFormatException(source + ": ModelProto has no graph (field 7); not an ONNX model?");
        }
        return graph;
    }

    private static OnnxGraph parseGraph(ProtoReader g) {
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        while (g.hasMore()) {
            int tag = g.tag("GraphProto");
            switch (tag) {
                case 1 << 3 | ProtoReader.LEN -> nodes.add(parseNode(g.message("GraphProto.node[" + nodes.size() + "]")));
                case 5 << 3 | ProtoReader.LEN -> {
                    long at = g.position();
                    OnnxTensor t = OnnxTensor.parse(g.message("GraphProto.initializer[" + initializers.size() + "]"));
                    if (initializers.putIfAbsent(t.name(), t) != null) {
                        throw g.error(at, "GraphProto.initializer", "duplicate initializer name '" + t.name() + "'");
                    }
                }
                default -> g.skip(tag, "GraphProto field " + (tag >>> 3));
            }
        }
        return new OnnxGraph(initializers, nodes);
    }

    private static Node parseNode(ProtoReader n) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        OnnxTensor value = null;
        while (n.hasMore()) {
            int tag = n.tag("NodeProto");
            switch (tag) {
                case 1 << 3 | ProtoReader.LEN -> inputs.add(n.string("NodeProto.input"));
                case 2 << 3 | ProtoReader.LEN -> outputs.add(n.string("NodeProto.output"));
                case 3 << 3 | ProtoReader.LEN -> name = n.string("NodeProto.name");
                case 4 << 3 | ProtoReader.LEN -> opType = n.string("NodeProto.op_type");
                case 5 << 3 | ProtoReader.LEN -> {
                    OnnxTensor t = tensorAttribute(n.message("NodeProto.attribute of '" + name + "'"));
                    value = t != null ? t : value;
                }
                default -> n.skip(tag, "NodeProto field " + (tag >>> 3));
            }
        }
        return new Node(opType, name, List.copyOf(inputs), List.copyOf(outputs), opType.equals("Constant") ? value : null);
    }

    /** AttributeProto: only a tensor-valued attribute (field t = 5) matters, as Constant's {@code value}. */
    private static OnnxTensor tensorAttribute(ProtoReader a) {
        OnnxTensor t = null;
        while (a.hasMore()) {
            int tag = a.tag("AttributeProto");
            if (tag == (5 << 3 | ProtoReader.LEN)) {
                t = OnnxTensor.parse(a.message("AttributeProto.t"));
            } else {
                a.skip(tag, "AttributeProto field " + (tag >>> 3));
            }
        }
        return t;
    }
}
