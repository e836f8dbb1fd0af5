package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights of an ONNX export of a Hugging Face encoder, presented exactly as its
 * {@code model.safetensors} would be. The PyTorch exporter keeps Hugging Face names for
 * embeddings, biases and LayerNorms but stores every {@code nn.Linear} weight as an anonymous
 * initializer ({@code onnx::MatMul_<n>}) laid out {@code [in, out]} for {@code x · W}. Each such
 * matrix gets its name from the MatMul node that consumes it
 * ({@code /encoder/layer.3/attention/self/key/MatMul} -> {@code encoder.layer.3.attention.self.key.weight})
 * and is transposed on read to PyTorch's {@code [out, in]}.
 *
 * <p>Only initializers and node names are read; this is not an ONNX interpreter.
 */
public final class OnnxWeights extends TensorTable {
    /** The exporter names a Linear's MatMul after the module path: {@code /<module/path>/MatMul}. */
    private static final Pattern MATMUL_NODE = Pattern.compile("^/(.+)/MatMul(?:_\\d+)?$");

    private final ExportFacts facts;

    private OnnxWeights(String source, Map<String, StoredTensor> tensors, Arena arena, ExportFacts facts) {
        super(source, tensors, arena);
        this.facts = facts;
    }

    /** Maps the file (read-only) and reads its graph; close releases the mapping. */
    public static OnnxWeights open(Path onnxFile) {
        if (!Files.isRegularFile(onnxFile)) {
            throw new ModelFormatException(onnxFile + ": no such ONNX file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(onnxFile, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return from(file, onnxFile.toString(), arena);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(onnxFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Reads an ONNX model already in memory (e.g. inflated from a jar); tensors are views of {@code onnxBytes}. */
    public static OnnxWeights read(byte[] onnxBytes, String sourceName) {
        return from(MemorySegment.ofArray(onnxBytes), sourceName, Arena.ofShared());
    }

    /**
     * The number of attention heads the graph was exported with, when it can be read from the
     * graph: the exporter divides attention scores by a constant √headDim, and
     * heads = hidden / headDim. Empty when the graph has no such constant.
     */
    public OptionalInt attentionHeads() {
        return facts.attentionHeads();
    }

    /** The LayerNorm epsilon baked into the graph (added to the variance before Sqrt), when found. */
    public OptionalDouble layerNormEps() {
        return facts.layerNormEps();
    }

    /** The Hugging Face {@code hidden_act} the intermediate layer's ops imply ("gelu" for Erf), when found. */
    public Optional<String> hiddenAct() {
        return facts.hiddenAct();
    }

    /**
     * Whether the graph numbers positions from the input ids, as RoBERTa and XLM-R do (from the padding
     * index on): their weights carry BERT's names, so only the graph tells them apart.
     */
    public boolean positionsFromInputIds() {
        return facts.positionsFromIds();
    }

    private static OnnxWeights from(MemorySegment file, String source, Arena arena) {
        OnnxGraph graph = OnnxGraph.parse(file, source);
        Map<String, StoredTensor> tensors = namedTensors(graph, source);
        return new OnnxWeights(source, tensors, arena, ExportFacts.of(graph, tensors));
    }

    private static Map<String, StoredTensor> namedTensors(OnnxGraph graph, String source) {
        Map<String, String> roles = matmulRoles(graph, source);
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (OnnxTensor t : graph.initializers().values()) {
            String role = roles.get(t.name());
            StoredTensor stored;
            if (role == null) {
                stored = new StoredTensor(t.name(), source, t.dtype(), t.dims(), t.bytes(), false);
            } else {
                long[] dims = t.dims();
                if (dims.length != 2) {
                    throw new ModelFormatException(source + ": MatMul weight '" + t.name() + "' (" + role + ") has "
                            + dims.length + " dims, expected 2 ([in, out])");
                }
                stored = new StoredTensor(role, source, t.dtype(), new long[] {dims[1], dims[0]}, t.bytes(), true);
            }
            StoredTensor clash = out.put(stored.name(), stored);
            if (clash != null) {
                throw new ModelFormatException(source + ": two initializers both map to tensor '" + stored.name()
                        + "' (one of them is '" + t.name() + "')");
            }
        }
        return out;
    }

    /** initializer name -> Hugging Face name, for each initializer used as the B input of a named MatMul. */
    private static Map<String, String> matmulRoles(OnnxGraph graph, String source) {
        Map<String, String> roles = new HashMap<>();
        for (OnnxGraph.Node node : graph.nodes()) {
            if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
                continue;
            }
            String weight = node.inputs().get(1);
            Matcher m = MATMUL_NODE.matcher(node.name());
            if (!graph.initializers().containsKey(weight) || !m.matches()) {
                continue;
            }
            String role = m.group(1).replace('/', '.') + ".weight";
            String previous = roles.put(weight, role);
            if (previous != null && !previous.equals(role)) {
                throw new ModelFormatException(source + ": initializer '" + weight + "' feeds MatMuls for both "
                        + previous + " and " + role + ", expected one role per weight");
            }
        }
        return roles;
    }
}
