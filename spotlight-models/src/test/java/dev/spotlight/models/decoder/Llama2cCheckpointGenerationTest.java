package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * llama2.c's own files run directly: the fp32 checkpoint generates exactly what run.c generates, and
 * the int8 one what runq.c generates for as long as runq's own arithmetic is stable (each case's
 * robust_prefix_len, see the fixture's README).
 */
class Llama2cCheckpointGenerationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFp32CheckpointIsTheHuggingFaceFolderBitForBit() {
        Path dir = SharedModels.require("stories260K");
        try (CausalLM bin = Spotlight.causalLM(dir.resolve("llama2c/stories260K.bin").toString());
             CausalLM hf = Spotlight.causalLM(dir.resolve("hf").toString())) {
            List<int[]> prompts = List.of(hf.encode("Once upon a time"), hf.encode("Zoë ate a crème brûlée"));
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(prompts.get(i), bin.encode(i == 0 ? "Once upon a time" : "Zoë ate a crème brûlée"));
            }
            float[][] a = bin.logits(prompts);
            float[][] b = hf.logits(prompts);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(b[i], a[i], "prompt " + i);
            }
        }
    }

    @Test
    void theFp32CheckpointGeneratesLikeRunC() throws IOException {
        check("stories260K.bin", "runc-greedy.json", false);
    }

    @Test
    void theInt8CheckpointGeneratesLikeRunqWhileRunqIsStable() throws IOException {
        check("stories260K_q8.bin", "runq-greedy.json", true);
    }

    private static void check(String checkpoint, String goldens, boolean robustPrefixOnly) throws IOException {
        Path dir = SharedModels.require("stories260K");
        JsonNode golden = JSON.readTree(dir.resolve("goldens").resolve(goldens).toFile());
        try (CausalLM model = Spotlight.causalLM(dir.resolve("llama2c").resolve(checkpoint).toString())) {
            List<int[]> prompts = new ArrayList<>();
            List<Generator.Policy> policies = new ArrayList<>();
            for (JsonNode c : golden.get("cases")) {
                int[] prompt = JSON.convertValue(c.get("prompt_ids"), int[].class);
                prompts.add(prompt);
                policies.add(new Greedy(c.get("steps").asInt() - (prompt.length - 1), Set.of(1)));  // run.c: stop on BOS
            }
            List<Generator.Result> results = model.generate(prompts, policies, false, null);
            for (int i = 0; i < prompts.size(); i++) {
                JsonNode c = golden.get("cases").get(i);
                int[] expected = JSON.convertValue(c.get("generated_ids"), int[].class);
                int length = robustPrefixOnly && c.has("robust_prefix_len") ? c.get("robust_prefix_len").asInt() : expected.length;
                int[] generated = results.get(i).generated();
                assertTrue(generated.length >= length, c.get("name") + ": " + generated.length + " tokens");
                assertArrayEquals(Arrays.copyOf(expected, length), Arrays.copyOf(generated, length), c.get("name").asText());
            }
        }
    }
}
