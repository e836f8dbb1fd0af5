package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * karpathy's stories260K (a real Llama with grouped-query attention, ../shared/models/stories260K)
 * against independent references: llama2.c's model.py logits, run.c's greedy generations, and
 * transformers.js's left-padded batched generation.
 */
class Stories260kTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static CausalLM model;

    @BeforeAll
    static void load() {
        dir = SharedModels.require("stories260K");
        model = Spotlight.causalLM(dir.resolve("hf").toString());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void logitsEqualThePyTorchReferenceAtEveryPosition() throws IOException {
        JsonNode index = JSON.readTree(dir.resolve("goldens/logits.json").toFile());
        ByteBuffer golden = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("goldens/logits.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> sequences = new ArrayList<>();
        for (JsonNode seq : index.get("sequences")) {
            sequences.add(JSON.convertValue(seq.get("ids"), int[].class));
        }
        float[][] logits = model.logits(sequences);  // all three sequences in one packed pass
        for (int s = 0; s < sequences.size(); s++) {
            JsonNode seq = index.get("sequences").get(s);
            int offset = seq.get("offset_floats").asInt();
            double max = 0;
            for (int t = 0; t < sequences.get(s).length; t++) {
                int argmax = 0;
                for (int j = 0; j < 512; j++) {
                    float value = logits[s][t * 512 + j];
                    max = Math.max(max, Math.abs(value - golden.getFloat(4 * (offset + t * 512 + j))));
                    if (value > logits[s][t * 512 + argmax]) {
                        argmax = j;
                    }
                }
                assertEquals(seq.get("argmax").get(t).asInt(), argmax, seq.get("name") + " position " + t);
            }
            // the golden's own float32 noise is 1.4e-5 to 2.6e-5 (its README)
            assertTrue(max < 1e-4, seq.get("name") + ": max |Δ| " + max);
        }
    }

    @Test
    void greedyGenerationEqualsLlama2cTokenForToken() throws IOException {
        JsonNode golden = JSON.readTree(dir.resolve("goldens/runc-greedy.json").toFile());
        List<int[]> prompts = new ArrayList<>();
        List<Generator.Policy> policies = new ArrayList<>();
        List<int[]> expected = new ArrayList<>();
        for (JsonNode c : golden.get("cases")) {
            int[] promptIds = JSON.convertValue(c.get("prompt_ids"), int[].class);
            assertArrayEquals(promptIds, model.encode(c.get("prompt").asText()), "prompt ids of " + c.get("name"));
            prompts.add(promptIds);
            // run.c's -n counts positions including the prompt, and it stops when it samples BOS (1)
            policies.add(new Greedy(c.get("steps").asInt() - (promptIds.length - 1), Set.of(1)));
            expected.add(JSON.convertValue(c.get("generated_ids"), int[].class));
        }
        List<Generator.Result> results = model.generate(prompts, policies, false, null);  // all six together
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(expected.get(i), results.get(i).generated(), golden.get("cases").get(i).get("name").asText());
        }
    }

    @Test
    void leftPaddedBatchEqualsTransformersJs() throws IOException {
        JsonNode golden = JSON.readTree(dir.resolve("goldens/hf-generate-left-padding.json").toFile());
        List<int[]> prompts = new ArrayList<>();
        JsonNode ids = golden.get("batch").get("input_ids");
        JsonNode mask = golden.get("batch").get("attention_mask");
        for (int row = 0; row < ids.size(); row++) {
            List<Integer> real = new ArrayList<>();
            for (int t = 0; t < ids.get(row).size(); t++) {
                if (mask.get(row).get(t).asInt() == 1) {
                    real.add(ids.get(row).get(t).asInt());
                }
            }
            int[] prompt = real.stream().mapToInt(Integer::intValue).toArray();
            assertArrayEquals(prompt, model.encode(golden.get("prompts").get(row).asText()), "prompt " + row);
            prompts.add(prompt);
        }
        List<Generator.Policy> policies = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            policies.add(new Greedy(40, Set.of(2)));
        }
        List<Generator.Result> results = model.generate(prompts, policies, false, null);
        JsonNode generated = golden.get("batch").get("generated_ids");
        for (int row = 0; row < prompts.size(); row++) {
            assertArrayEquals(JSON.convertValue(generated.get(row), int[].class), results.get(row).generated(), "row " + row);
        }
    }
}
