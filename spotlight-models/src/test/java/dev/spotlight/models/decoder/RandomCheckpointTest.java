package dev.spotlight.models.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tokenizers.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proves that RandomCheckpoint regenerates, bit for bit, the weights the Python goldens were computed on. */
class RandomCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<String> goldens() {
        return RandomCheckpoint.goldenNames();
    }

    @Test
    void generatorPrimitivesMatchPublishedTestVectors() {
        // splitmix64 seeded with 0 (Vigna's reference) and FNV-1a 64 of "" and "a" (the FNV test suite).
        assertEquals(0xE220A8397B1DCDAFL, RandomCheckpoint.splitmix64(0, 0));
        assertEquals(0xCBF29CE484222325L, RandomCheckpoint.fnv1a64(new byte[0]));
        assertEquals(0xAF63DC4C8601EC8CL, RandomCheckpoint.fnv1a64("a".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void goldensCoverEveryFamilyAndDtypeTheIssueNames() {
        List<String> seen = new ArrayList<>();
        for (String name : goldens()) {
            JsonNode g = RandomCheckpoint.golden(name);
            seen.add(g.get("family").asText() + "/" + g.get("dtype").asText());
        }
        for (String required : List.of("llama/F32", "llama/BF16", "mistral/F32", "qwen2/F32", "qwen2/F16",
                "qwen3/F32", "gpt2/F32", "gpt2/BF16")) {
            assertTrue(seen.contains(required), required + " missing from " + seen);
        }
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void writtenWeightsMatchThePythonChecksums(String name) {
        JsonNode golden = RandomCheckpoint.golden(name);
        Path folder = RandomCheckpoint.write(golden, dir.resolve(name));
        Map<String, TensorData> stored = RandomCheckpoint.tensors(golden);
        try (Weights weights = Safetensors.open(folder)) {
            assertEquals(golden.get("tensors").size(), weights.names().size(), name + ": tensor count");
            for (JsonNode t : golden.get("tensors")) {
                String tensor = t.get("name").asText();
                String where = name + ": " + tensor;
                assertEquals(golden.get("dtype").asText(), weights.dtype(tensor).name(), where);
                float[] values = weights.floats(tensor, JSON.convertValue(t.get("shape"), long[].class));
                double sum = 0;  // sequential, in element order, as the generator sums
                for (float v : values) {
                    sum += v;
                }
                assertEquals(t.get("sum").asDouble(), sum, 0.0, where + ": float64 sum");
                for (int i = 0; i < t.get("first").size(); i++) {
                    assertEquals(t.get("first").get(i).asDouble(), values[i], 0.0, where + ": value " + i);
                }
                assertEquals(t.get("fnv1a64").asText(), String.format("%016x",
                        RandomCheckpoint.fnv1a64(stored.get(tensor).bytes())), where + ": FNV-1a 64 of the stored bytes");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void writtenFolderHoldsTheGoldensConfigAndAWordLevelTokenizer(String name) throws IOException {
        JsonNode golden = RandomCheckpoint.golden(name);
        Path folder = RandomCheckpoint.write(golden, dir.resolve(name));
        assertEquals(golden.get("config"), JSON.readTree(folder.resolve("config.json").toFile()));
        assertEquals(golden.get("generation_config"), JSON.readTree(folder.resolve("generation_config.json").toFile()));
        int vocab = RandomCheckpoint.vocabSize(golden);
        Tokenizer tokenizer = Tokenizer.fromFile(folder.resolve("tokenizer.json"));
        assertArrayEquals(new int[] {0, 5, vocab - 1}, tokenizer.encode("t0 t5  t" + (vocab - 1)).ids());
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void outputEmbeddingsAreSavedOnlyWhenUntied(String name) {
        // save_pretrained drops lm_head.weight when it is tied; GPT-2's default tie is true.
        JsonNode golden = RandomCheckpoint.golden(name);
        JsonNode tie = golden.get("config").get("tie_word_embeddings");
        boolean tied = tie == null ? golden.get("family").asText().equals("gpt2") : tie.asBoolean();
        assertEquals(!tied, RandomCheckpoint.tensors(golden).containsKey("lm_head.weight"), name);
    }

    @Test
    void unknownGoldenNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomCheckpoint.golden("falcon"));
        assertTrue(e.getMessage().contains("'falcon'") && e.getMessage().contains("qwen3"), e.getMessage());
    }
}
