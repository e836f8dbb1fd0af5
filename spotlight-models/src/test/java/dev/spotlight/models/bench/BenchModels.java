package dev.spotlight.models.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.decoder.RandomCheckpoint;
import dev.spotlight.models.weights.DType;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.tokenizers.ByteLevelAlphabet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decoder benchmark's models: pseudo-random weights (RandomCheckpoint's generator, so they are
 * the same bit for bit on every machine) in the exact shapes of real checkpoints, written once as
 * Hugging Face folders into a cache folder outside git and reused. Real weights are not reachable
 * offline; speed depends on the shapes and the stored precision only.
 *
 * <p>Weights are uniform in ±1/√fan_in (a gain of ~0.58 per matrix), embeddings in ±0.25 and norm
 * weights in 1 ± 0.1: with pre-norm blocks the residual stream grows by a bounded amount per layer,
 * so activations and logits stay finite over 30 layers (the harness checks every prefill's logits).
 */
public final class BenchModels {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int CHUNK = 1 << 22;  // elements generated and written at a time: 16 MB of f32
    private static final String MARKER = "bench-model.json";

    private BenchModels() {
    }

    /**
     * A Llama-family checkpoint shape.
     *
     * @param name          the cache folder's name
     * @param dtype         stored precision of every tensor: F32 or BF16
     * @param ropeScaling   config.json's rope_scaling object, or null
     */
    public record Shape(String name, DType dtype, long seed, int hidden, int layers, int heads, int kvHeads, int headDim,
                        int intermediate, int vocab, boolean tied, int maxPositions, double ropeTheta, int bos, int eos,
                        Map<String, Object> ropeScaling) {

        /** Parameters of every stored tensor. */
        public long parameters() {
            return tensors().values().stream().mapToLong(s -> {
                long n = 1;
                for (long d : s) {
                    n *= d;
                }
                return n;
            }).sum();
        }

        /** Hugging Face tensor names and shapes, in the order save_pretrained writes them (by name). */
        Map<String, long[]> tensors() {
            Map<String, long[]> out = new LinkedHashMap<>();
            if (!tied) {
                out.put("lm_head.weight", new long[] {vocab, hidden});
            }
            out.put("model.embed_tokens.weight", new long[] {vocab, hidden});
            for (int l = 0; l < layers; l++) {
                String p = "model.layers." + l + ".";
                out.put(p + "input_layernorm.weight", new long[] {hidden});
                out.put(p + "mlp.down_proj.weight", new long[] {hidden, intermediate});
                out.put(p + "mlp.gate_proj.weight", new long[] {intermediate, hidden});
                out.put(p + "mlp.up_proj.weight", new long[] {intermediate, hidden});
                out.put(p + "post_attention_layernorm.weight", new long[] {hidden});
                out.put(p + "self_attn.k_proj.weight", new long[] {(long) kvHeads * headDim, hidden});
                out.put(p + "self_attn.o_proj.weight", new long[] {hidden, (long) heads * headDim});
                out.put(p + "self_attn.q_proj.weight", new long[] {(long) heads * headDim, hidden});
                out.put(p + "self_attn.v_proj.weight", new long[] {(long) kvHeads * headDim, hidden});
            }
            out.put("model.norm.weight", new long[] {hidden});
            return out;
        }

        ObjectNode config() {
            ObjectNode c = JSON.createObjectNode();
            c.putArray("architectures").add("LlamaForCausalLM");
            c.put("attention_bias", false);
            c.put("attention_dropout", 0.0);
            c.put("bos_token_id", bos);
            c.put("eos_token_id", eos);
            c.put("head_dim", headDim);
            c.put("hidden_act", "silu");
            c.put("hidden_size", hidden);
            c.put("initializer_range", 0.02);
            c.put("intermediate_size", intermediate);
            c.put("max_position_embeddings", maxPositions);
            c.put("mlp_bias", false);
            c.put("model_type", "llama");
            c.put("num_attention_heads", heads);
            c.put("num_hidden_layers", layers);
            c.put("num_key_value_heads", kvHeads);
            c.put("pretraining_tp", 1);
            c.put("rms_norm_eps", 1e-5);
            c.set("rope_scaling", JSON.valueToTree(ropeScaling == null ? null : new TreeMap<>(ropeScaling)));
            c.put("rope_theta", ropeTheta);
            c.put("tie_word_embeddings", tied);
            c.put("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
            c.put("use_cache", true);
            c.put("vocab_size", vocab);
            return c;
        }
    }

    /** HuggingFaceTB/SmolLM2-135M's shape (its config.json), stored in F32. */
    public static final Shape SMOLLM2_135M = new Shape("smollm2-135m-f32", DType.F32, 135, 576, 30, 9, 3, 64, 1536, 49152,
            true, 8192, 100000.0, 0, 0, null);

    /** meta-llama/Llama-3.2-1B's shape (its config.json, rope_scaling llama3 included), stored in BF16. */
    public static final Shape LLAMA_3_2_1B = new Shape("llama-3.2-1b-bf16", DType.BF16, 1001, 2048, 16, 32, 8, 64, 8192,
            128256, true, 131072, 500000.0, 128000, 128001,
            Map.of("factor", 32.0, "high_freq_factor", 4.0, "low_freq_factor", 1.0,
                    "original_max_position_embeddings", 8192, "rope_type", "llama3"));

    public static final List<Shape> ALL = List.of(SMOLLM2_135M, LLAMA_3_2_1B);

    /** The shape's folder under {@code cache}, written first if it is missing or was left incomplete. */
    public static Path ensure(Shape shape, Path cache) {
        Path dir = cache.resolve(shape.name());
        Path marker = dir.resolve(MARKER);
        String fingerprint = fingerprint(shape);
        try {
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(fingerprint)) {
                return dir;
            }
            Files.createDirectories(dir);
            Files.deleteIfExists(marker);
            long start = System.nanoTime();
            write(shape, dir);
            Files.writeString(marker, fingerprint);  // last: a folder without it is rewritten
            System.err.printf("wrote %s (%,d parameters, %s) in %.1f s%n", dir, shape.parameters(), shape.dtype(),
                    (System.nanoTime() - start) / 1e9);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes config.json, generation_config.json, a byte-level BPE tokenizer.json and model.safetensors. */
    static void write(Shape shape, Path dir) throws IOException {
        JSON.writeValue(dir.resolve("config.json").toFile(), shape.config());
        ObjectNode generation = JSON.createObjectNode();
        generation.put("bos_token_id", shape.bos());
        generation.put("eos_token_id", shape.eos());
        generation.put("do_sample", false);
        JSON.writeValue(dir.resolve("generation_config.json").toFile(), generation);
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer(shape.vocab()));
        Map<String, Safetensors.Layout> layouts = new LinkedHashMap<>();
        shape.tensors().forEach((name, dims) -> layouts.put(name, new Safetensors.Layout(shape.dtype(), dims)));
        Safetensors.write(dir.resolve("model.safetensors"), layouts, Map.of("format", "pt"),
                (name, out) -> writeTensor(shape, name, shape.tensors().get(name), out));
    }

    private static void writeTensor(Shape shape, String name, long[] dims, java.nio.channels.FileChannel out)
            throws IOException {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        double offset = 0;
        double scale;
        if (dims.length == 1) {
            offset = 1.0;
            scale = 0.1;
        } else if (name.endsWith("embed_tokens.weight")) {
            scale = 0.25;
        } else {
            scale = 1 / Math.sqrt(dims[1]);  // nn.Linear [out, in]: fan_in is the in size
        }
        for (long from = 0; from < count; from += CHUNK) {
            int n = (int) Math.min(CHUNK, count - from);
            float[] values = RandomCheckpoint.values(name, shape.seed(), from, n, offset, scale);
            TensorData data = shape.dtype() == DType.BF16 ? TensorData.bf16(values, n) : TensorData.f32(values, n);
            ByteBuffer b = ByteBuffer.wrap(data.bytes());
            while (b.hasRemaining()) {
                out.write(b);
            }
        }
    }

    /**
     * A byte-level BPE tokenizer.json (GPT-2's byte alphabet, as SmolLM2's and Llama 3's are) with no
     * merges: ids 0–255 are the bytes, the rest placeholder tokens. Enough for every engine to load
     * the folder; the benchmark feeds token ids directly.
     */
    static ObjectNode tokenizer(int vocab) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode words = model.putObject("vocab");
        for (int i = 0; i < vocab; i++) {
            words.put(i < 256 ? String.valueOf(ByteLevelAlphabet.charOf(i)) : "<|placeholder_" + i + "|>", i);
        }
        model.putArray("merges");
        return root;
    }

    /** What the folder was written from: a changed shape or generator version rewrites it. */
    private static String fingerprint(Shape shape) {
        ObjectNode f = JSON.createObjectNode();
        f.put("generator", "BenchModels v1: RandomCheckpoint values; matrices ±1/sqrt(fan_in), embeddings ±0.25, norms 1±0.1");
        f.put("seed", shape.seed());
        f.put("dtype", shape.dtype().name());
        f.set("config", shape.config());
        ArrayNode names = f.putArray("tensors");
        shape.tensors().keySet().forEach(names::add);
        try {
            return JSON.writeValueAsString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
