package dev.spotlight.models.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiny random Hugging Face checkpoints behind the decoder goldens in
 * {@code src/test/resources/goldens/decoders/}: Qwen2, Qwen3, Mistral, Llama's rope_scaling variants
 * and BF16/F16 weights, for which no real weights exist offline. Each golden holds a config.json
 * object, a model seed, a dtype and the list of tensors (Hugging Face names, shapes, init offset and
 * scale), together with float64 logits and greedy continuations from the numpy reference in
 * {@code spotlight-models/goldens/decoders/} (see its README for every field).
 *
 * <p>The weights are pseudo-random and never stored: this class regenerates them bit for bit as the
 * Python generator does (random_weights.py). Element {@code i} of tensor {@code name}:
 * {@code u = (splitmix64_{i+1}(fnv1a64(name) ^ seed) >>> 40) * 2^-24 * 2 - 1}, the value
 * {@code (float) (offset + scale * u)} in double arithmetic, stored as F32, or rounded to BF16 / F16
 * to nearest even. {@code RandomCheckpointTest} proves the equality on every golden's checksums.
 */
public final class RandomCheckpoint {
    private static final String FOLDER = "/goldens/decoders/";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private RandomCheckpoint() {
    }

    /** The names of all goldens, in the order of {@code index.json}. */
    public static List<String> goldenNames() {
        List<String> names = new ArrayList<>();
        resource("index.json").get("goldens").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** One golden, e.g. {@code golden("qwen3")}. */
    public static JsonNode golden(String name) {
        if (!goldenNames().contains(name)) {
            throw new IllegalArgumentException("no decoder golden '" + name + "', expected one of " + goldenNames());
        }
        return resource(name + ".json");
    }

    /**
     * Writes the golden's model as a Hugging Face folder into {@code dir} (created if missing):
     * config.json (the golden's {@code config} object), generation_config.json, model.safetensors and
     * a WordLevel tokenizer.json mapping the word {@code t<i>} to id {@code i}. Returns {@code dir}.
     */
    public static Path write(JsonNode golden, Path dir) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("config.json").toFile(), golden.get("config"));
            JSON.writeValue(dir.resolve("generation_config.json").toFile(), golden.get("generation_config"));
            JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer(vocabSize(golden)));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        Safetensors.write(dir.resolve("model.safetensors"), tensors(golden), Map.of("format", "pt"));
        return dir;
    }

    /** The golden's tensors as stored (F32, BF16 or F16), in the golden's order, keyed by Hugging Face name. */
    public static Map<String, TensorData> tensors(JsonNode golden) {
        long seed = golden.get("seed").asLong();
        String dtype = golden.get("dtype").asText();
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (JsonNode t : golden.get("tensors")) {
            String name = t.get("name").asText();
            long[] shape = new long[t.get("shape").size()];
            long count = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = t.get("shape").get(d).asLong();
                count = Math.multiplyExact(count, shape[d]);
            }
            float[] values = values(name, seed, Math.toIntExact(count), t.get("offset").asDouble(), t.get("scale").asDouble());
            out.put(name, switch (dtype) {
                case "F32" -> TensorData.f32(values, shape);
                case "BF16" -> TensorData.bf16(values, shape);  // round to nearest even on the f32 bits
                case "F16" -> TensorData.f16(values, shape);    // Float.floatToFloat16: nearest even
                default -> throw new IllegalArgumentException("golden " + golden.get("name") + ": dtype '" + dtype
                        + "', expected F32, BF16 or F16");
            });
        }
        return out;
    }

    /** The f32 values of one tensor before conversion to the stored dtype. */
    public static float[] values(String name, long modelSeed, int count, double offset, double scale) {
        return values(name, modelSeed, 0, count, offset, scale);
    }

    /**
     * Elements {@code [from, from + count)} of one tensor before conversion to the stored dtype: the
     * same values as the whole tensor's, so a tensor larger than the heap can be written in pieces.
     */
    public static float[] values(String name, long modelSeed, long from, int count, double offset, double scale) {
        long stream = fnv1a64(name.getBytes(StandardCharsets.UTF_8)) ^ modelSeed;
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            long z = splitmix64(stream, from + i);
            double u = (z >>> 40) * 0x1.0p-24 * 2 - 1;  // exact: a 24-bit integer scaled by powers of two
            out[i] = (float) (offset + scale * u);
        }
        return out;
    }

    /** Output {@code index} (0-based) of splitmix64 started at {@code seed}: the state advances before mixing. */
    static long splitmix64(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long fnv1a64(byte[] data) {
        long h = FNV_OFFSET;
        for (byte b : data) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return h;
    }

    static int vocabSize(JsonNode golden) {
        return golden.get("config").get("vocab_size").asInt();
    }

    /** WordLevel over "t0" … "t{V-1}" split on whitespace; unknown words map to "t0". */
    private static ObjectNode tokenizer(int vocab) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode words = model.putObject("vocab");
        for (int i = 0; i < vocab; i++) {
            words.put("t" + i, i);
        }
        model.put("unk_token", "t0");
        return root;
    }

    private static JsonNode resource(String file) {
        try (InputStream in = RandomCheckpoint.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + FOLDER + file + " is missing: regenerate with "
                        + "/usr/bin/python3 spotlight-models/goldens/decoders/make_goldens.py");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(FOLDER + file + ": " + e.getMessage(), e);
        }
    }
}
