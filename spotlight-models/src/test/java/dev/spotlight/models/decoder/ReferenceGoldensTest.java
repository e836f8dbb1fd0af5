package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Families without real weights offline (Qwen2, Qwen3, Mistral, Llama's rope_scaling variants) and
 * BF16/F16 storage, on deterministic random weights, against a float64 numpy reference written from
 * Hugging Face's modeling code (spotlight-models/goldens/decoders). That reference agrees with
 * PyTorch on the two real fixtures; for the families here it is the level of proof.
 */
class ReferenceGoldensTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Greedy tokens are compared while the reference's top-2 margin exceeds this (float32 noise is ~1e-5). */
    private static final double SAFE_MARGIN = 1e-3;

    static Stream<String> goldens() {
        return RandomCheckpoint.goldenNames().stream();
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void logitsEqualTheFloat64ReferenceAtEveryPosition(String name, @TempDir Path dir) {
        JsonNode golden = RandomCheckpoint.golden(name);
        RandomCheckpoint.write(golden, dir);
        try (CausalLM model = Spotlight.causalLM(dir.toString())) {
            List<int[]> sequences = new ArrayList<>();
            for (JsonNode seq : golden.get("sequences")) {
                sequences.add(JSON.convertValue(seq.get("ids"), int[].class));
            }
            float[][] logits = model.logits(sequences);
            int vocab = model.config().vocabSize();
            for (int s = 0; s < sequences.size(); s++) {
                JsonNode expected = golden.get("sequences").get(s).get("logits");
                double max = 0;
                for (int t = 0; t < sequences.get(s).length; t++) {
                    int argmax = 0;
                    for (int j = 0; j < vocab; j++) {
                        max = Math.max(max, Math.abs(logits[s][t * vocab + j] - expected.get(t).get(j).doubleValue()));
                        argmax = logits[s][t * vocab + j] > logits[s][t * vocab + argmax] ? j : argmax;
                    }
                    assertEquals(golden.get("sequences").get(s).get("argmax").get(t).asInt(), argmax,
                            name + " sequence " + s + " position " + t);
                }
                assertTrue(max < 1e-4, name + " sequence " + s + ": max |Δ| " + max);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void greedyContinuationsEqualTheReferenceWhileItsMarginIsClear(String name, @TempDir Path dir) {
        JsonNode golden = RandomCheckpoint.golden(name);
        RandomCheckpoint.write(golden, dir);
        try (CausalLM model = Spotlight.causalLM(dir.toString())) {
            List<int[]> prompts = new ArrayList<>();
            List<Generator.Policy> policies = new ArrayList<>();
            for (JsonNode g : golden.get("greedy")) {
                prompts.add(JSON.convertValue(g.get("prompt"), int[].class));
                policies.add(new Greedy(g.get("generated").size(), Set.of()));  // the reference ignores EOS
            }
            List<Generator.Result> results = model.generate(prompts, policies, false, null);
            for (int i = 0; i < prompts.size(); i++) {
                JsonNode g = golden.get("greedy").get(i);
                int[] expected = JSON.convertValue(g.get("generated"), int[].class);
                int safe = 0;
                while (safe < expected.length && g.get("margins").get(safe).asDouble() > SAFE_MARGIN) {
                    safe++;
                }
                assertTrue(safe >= 6, name + ": only " + safe + " tokens have a clear margin");
                assertArrayEquals(Arrays.copyOf(expected, safe), Arrays.copyOf(results.get(i).generated(), safe),
                        name + " prompt " + i);
            }
        }
    }
}
