package dev.spotlight.models.tasks;

import dev.spotlight.models.weights.ProtoWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends task-head nodes to an ONNX encoder export, named the way PyTorch's exporter names a
 * transformers task model: each Linear a MatMul node {@code /<module path>/MatMul} on an anonymous
 * {@code onnx::MatMul_<n>} initializer stored [in, out], then an Add of the {@code <module>.bias}
 * initializer. New nodes, initializers and graph outputs go at the end of the graph message, which
 * protobuf merges into the repeated fields; nothing of the original graph is rewritten.
 */
final class OnnxHeadWriter {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private int anonymous = 9000;
    private int values;

    /** {@code input · W + b}: W [in, out] row-major. Returns the output's name. */
    String linear(String input, String module, float[] w, int in, int out, float[] bias) {
        String weight = "onnx::MatMul_" + anonymous++;
        initializer(weight, w, in, out);
        String path = "/" + module.replace('.', '/');
        String product = node("MatMul", path + "/MatMul", List.of(input, weight), null);
        initializer(module + ".bias", bias, out);
        return node("Add", path + "/Add", List.of(product, module + ".bias"), null);
    }

    /** A node with one output; returns its name. */
    String node(String op, String name, List<String> inputs, ProtoWriter attribute) {
        String output = name + "_output_0";
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(i -> n.string(1, i));
        n.string(2, output).string(3, name).string(4, op);
        if (attribute != null) {
            n.message(5, attribute);
        }
        nodes.add(n);
        return output;
    }

    /** A node with several outputs, named {@code name_output_i}. */
    List<String> node(String op, String name, List<String> inputs, int count, ProtoWriter attribute) {
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(i -> n.string(1, i));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(name + "_output_" + i);
            n.string(2, out.getLast());
        }
        n.string(3, name).string(4, op);
        if (attribute != null) {
            n.message(5, attribute);
        }
        nodes.add(n);
        return out;
    }

    /** A node with one output named {@code output} (a graph output). */
    void node(String op, String name, List<String> inputs, String output, ProtoWriter attribute) {
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(i -> n.string(1, i));
        n.string(2, output).string(3, name).string(4, op);
        if (attribute != null) {
            n.message(5, attribute);
        }
        nodes.add(n);
    }

    static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, 2);
    }

    static ProtoWriter intsAttribute(String name, long... values) {
        ProtoWriter a = new ProtoWriter().string(1, name);
        for (long v : values) {
            a.varint(8, v);
        }
        return a.varint(20, 7);
    }

    /** A float constant (a scalar when no dims) as an initializer; returns its name. */
    String constant(float value) {
        String name = "head_constant_" + values++;
        initializer(name, new float[] {value});
        return name;
    }

    String int64Constant(long value) {
        String name = "head_index_" + values++;
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        initializers.add(new ProtoWriter().varint(2, INT64).string(8, name).bytes(9, b.array()));
        return name;
    }

    void initializer(String name, float[] data, long... dims) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            b.putFloat(v);
        }
        initializers.add(t.varint(2, FLOAT).string(8, name).bytes(9, b.array()));
    }

    /** A float graph output; a dim is a named (symbolic) size when given as a String, else its value. */
    void output(String name, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            shape.message(1, d instanceof String s ? new ProtoWriter().string(2, s) : new ProtoWriter().varint(1, (Integer) d));
        }
        ProtoWriter tensor = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        outputs.add(new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor)));
    }

    /** The model with this writer's nodes, initializers and outputs appended to its graph (ModelProto field 7). */
    byte[] appendTo(byte[] model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + (1 << 20));
        int pos = 0;
        boolean found = false;
        while (pos < model.length) {
            int start = pos;
            long[] key = varint(model, pos);
            pos = (int) key[1];
            int field = (int) (key[0] >>> 3);
            int wire = (int) (key[0] & 7);
            int valueEnd = switch (wire) {
                case 0 -> (int) varint(model, pos)[1];
                case 1 -> pos + 8;
                case 5 -> pos + 4;
                case 2 -> {
                    long[] len = varint(model, pos);
                    yield (int) (len[1] + len[0]);
                }
                default -> throw new IllegalArgumentException("wire type " + wire + " at " + start);
            };
            if (field == 7 && wire == 2) {
                long[] len = varint(model, pos);
                ProtoWriter graph = new ProtoWriter().raw(java.util.Arrays.copyOfRange(model, (int) len[1], valueEnd));
                nodes.forEach(n -> graph.message(1, n));
                initializers.forEach(t -> graph.message(5, t));
                outputs.forEach(o -> graph.message(12, o));
                out.writeBytes(new ProtoWriter().message(7, graph).toByteArray());
                found = true;
            } else {
                out.write(model, start, valueEnd - start);
            }
            pos = valueEnd;
        }
        if (!found) {
            throw new IllegalArgumentException("no graph in the model");
        }
        return out.toByteArray();
    }

    /** {value, position after it}. */
    private static long[] varint(byte[] b, int pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[pos++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                return new long[] {v, pos};
            }
        }
    }
}
