package dev.spotlight.models.weights;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Hyper-parameters an ONNX BERT export does not store as weights but bakes into graph constants,
 * read back so an export without config.json still gets the right configuration. Checked on the
 * all-MiniLM-L6-v2, bge-small-en/zh-v1.5 and e5-small-v2 exports (PyTorch 2.0.1, opset 11):
 * <ul>
 *   <li>heads: {@code transpose_for_scores} reshapes q/k/v with {@code Concat(batch, seq, heads, headDim)}
 *       whose last two inputs are Constants ([12], [32] for MiniLM; [8], [64] for bge-small-zh);
 *       the score Div by √headDim (5.656854, 8.0) is the fallback;</li>
 *   <li>LayerNorm eps: the Constant added to the variance before Sqrt ({@code /embeddings/LayerNorm/Add});</li>
 *   <li>activation: an Erf node inside {@code intermediate} means exact GELU;</li>
 *   <li>positions: RoBERTa and XLM-R number them from the input ids ({@code create_position_ids_from_input_ids},
 *       a CumSum in the embeddings), BERT takes 0..L-1.</li>
 * </ul>
 */
record ExportFacts(OptionalInt attentionHeads, OptionalDouble layerNormEps, Optional<String> hiddenAct,
                   boolean positionsFromIds) {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    static ExportFacts of(OnnxGraph graph, Map<String, StoredTensor> tensors) {
        Map<String, OnnxGraph.Node> producers = new HashMap<>();
        for (OnnxGraph.Node n : graph.nodes()) {
            n.outputs().forEach(o -> producers.put(o, n));
        }
        Constants constants = new Constants(graph, producers);
        boolean positionsFromIds = graph.nodes().stream().anyMatch(n -> n.opType().equals("CumSum") && n.name().contains("embeddings"));
        return new ExportFacts(heads(graph, producers, constants, tensors), eps(graph, producers, constants), act(graph),
                positionsFromIds);
    }

    private static OptionalInt heads(OnnxGraph graph, Map<String, OnnxGraph.Node> producers, Constants constants,
                                     Map<String, StoredTensor> tensors) {
        for (OnnxGraph.Node n : graph.nodes()) {
            if (n.opType().equals("Reshape") && n.name().contains("/attention/self/") && n.inputs().size() == 2) {
                OnnxGraph.Node shape = producers.get(n.inputs().get(1));
                if (shape != null && shape.opType().equals("Concat") && shape.inputs().size() == 4) {
                    OptionalDouble heads = constants.scalar(shape.inputs().get(2));
                    if (heads.isPresent() && heads.getAsDouble() >= 1) {
                        return OptionalInt.of((int) heads.getAsDouble());
                    }
                }
            }
        }
        StoredTensor query = tensors.get("encoder.layer.0.attention.self.query.weight");
        for (OnnxGraph.Node n : graph.nodes()) {
            if (query != null && query.shape().length == 2 && n.opType().equals("Div") && n.name().contains("/attention/self/") && n.inputs().size() == 2) {
                OptionalDouble sqrtHeadDim = constants.scalar(n.inputs().get(1));
                if (sqrtHeadDim.isPresent()) {
                    long headDim = Math.round(sqrtHeadDim.getAsDouble() * sqrtHeadDim.getAsDouble());
                    long hidden = query.shape()[0];
                    if (headDim > 0 && hidden % headDim == 0) {
                        return OptionalInt.of((int) (hidden / headDim));
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalDouble eps(OnnxGraph graph, Map<String, OnnxGraph.Node> producers, Constants constants) {
        for (OnnxGraph.Node n : graph.nodes()) {
            if (n.opType().equals("Sqrt") && n.name().contains("LayerNorm") && n.inputs().size() == 1) {
                OnnxGraph.Node add = producers.get(n.inputs().getFirst());
                if (add != null && add.opType().equals("Add") && add.inputs().size() == 2) {
                    OptionalDouble eps = constants.scalar(add.inputs().get(1));
                    if (eps.isPresent()) {
                        return eps;
                    }
                }
            }
        }
        return OptionalDouble.empty();
    }

    private static Optional<String> act(OnnxGraph graph) {
        for (OnnxGraph.Node n : graph.nodes()) {
            if (n.name().contains("/intermediate/")) {
                switch (n.opType()) {
                    case "Erf" -> {
                        return Optional.of("gelu");
                    }
                    case "Tanh" -> {
                        return Optional.of("gelu_new");
                    }
                    case "Relu" -> {
                        return Optional.of("relu");
                    }
                    default -> {
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Single-element values of Constant nodes or initializers, by the name of the value. */
    private record Constants(OnnxGraph graph, Map<String, OnnxGraph.Node> producers) {
        OptionalDouble scalar(String valueName) {
            OnnxGraph.Node n = producers.get(valueName);
            OnnxTensor t = n != null && n.value() != null ? n.value() : graph.initializers().get(valueName);
            if (t == null || t.bytes().byteSize() != t.dtype().byteSize()) {
                return OptionalDouble.empty();
            }
            return switch (t.dtype()) {
                // The shortest decimal of the f32: 1e-12 stored as f32 reads back as 1e-12, as it was written.
                case F32 -> OptionalDouble.of(Double.parseDouble(Float.toString(
                        t.bytes().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE), 0))));
                case F64 -> OptionalDouble.of(t.bytes().get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(LE), 0));
                case I64 -> OptionalDouble.of(t.bytes().get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE), 0));
                case I32 -> OptionalDouble.of(t.bytes().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE), 0));
                default -> OptionalDouble.empty();
            };
        }
    }
}
