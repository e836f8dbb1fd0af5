package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.config.ArchitectureConfig;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.gpt2.Gpt2Decoder;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** makemore's character-level GPT-2 against makemore.py's own logits (../shared/models/makemore-names). */
class MakemoreNamesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Gpt2Decoder decoder;

    @BeforeAll
    static void load() throws IOException {
        dir = SharedModels.require("makemore-names");
        DecoderConfig config = (DecoderConfig) ArchitectureConfig.parse(Files.readAllBytes(dir.resolve("hf/config.json")),
                "config.json");
        try (Weights w = Safetensors.open(dir.resolve("hf"))) {
            decoder = Gpt2Decoder.load(config, w);
        }
    }

    @Test
    void logitsEqualMakemoreAtEveryPosition() throws IOException {
        JsonNode golden = JSON.readTree(dir.resolve("goldens/logits.json").toFile());
        KvCache cache = decoder.newCache(1L << 26);
        for (JsonNode seq : golden.get("sequences")) {
            int[] ids = JSON.convertValue(seq.get("ids"), int[].class);
            try (KvCache.Slot slot = cache.open(ids.length)) {
                DecoderOutput out = decoder.forward(DecoderBatch.of(List.of(ids)), List.of(slot), Logits.ALL, false);
                double max = 0;
                for (int t = 0; t < ids.length; t++) {
                    float[] row = out.row(t);
                    for (int j = 0; j < row.length; j++) {
                        max = Math.max(max, Math.abs(row[j] - seq.get("logits").get(t).get(j).floatValue()));
                    }
                    assertEquals(seq.get("argmax").get(t).asInt(), argmax(row), seq.get("name") + " position " + t);
                }
                assertTrue(max < 1e-4, seq.get("name") + ": max |Δ| " + max);
            }
        }
    }

    @Test
    void greedyNamesEqualMakemoreToken() throws IOException {
        JsonNode golden = JSON.readTree(dir.resolve("goldens/greedy.json").toFile());
        KvCache cache = decoder.newCache(1L << 26);
        for (JsonNode c : golden.get("cases")) {
            int[] prompt = JSON.convertValue(c.get("prompt_ids"), int[].class);
            int[] expected = JSON.convertValue(c.get("generated_ids"), int[].class);
            try (KvCache.Slot slot = cache.open(16)) {
                DecoderOutput out = decoder.forward(DecoderBatch.of(List.of(prompt)), List.of(slot), Logits.LAST, false);
                int[] generated = new int[16];
                int n = 0;
                int length = prompt.length;
                while (length < 16) {
                    int next = argmax(out.last(0));
                    generated[n++] = next;
                    length++;
                    if (next == 0 || length == 16) {
                        break;
                    }
                    out = decoder.forward(DecoderBatch.continuing(List.of(new int[] {next}), new int[] {slot.length()}),
                            List.of(slot), Logits.LAST, false);
                }
                assertArrayEquals(expected, java.util.Arrays.copyOf(generated, n), c.get("prompt").asText());
            }
        }
    }

    @Test
    void leftPaddedBatchEqualsHuggingFaceGenerate() throws IOException {
        JsonNode golden = JSON.readTree(dir.resolve("goldens/batch-left-padding.json").toFile());
        int width = golden.get("input_ids").get(0).size();
        int maxLength = golden.get("max_length").asInt();
        List<int[]> prompts = new java.util.ArrayList<>();
        List<Generator.Policy> policies = new java.util.ArrayList<>();
        for (int row = 0; row < golden.get("input_ids").size(); row++) {
            List<Integer> real = new java.util.ArrayList<>();
            for (int t = 0; t < width; t++) {
                if (golden.get("attention_mask").get(row).get(t).asInt() == 1) {
                    real.add(golden.get("input_ids").get(row).get(t).asInt());
                }
            }
            prompts.add(real.stream().mapToInt(Integer::intValue).toArray());
            // Hugging Face's max_length counts the padded width: every row may add maxLength - width tokens
            policies.add(new Greedy(maxLength - width, java.util.Set.of(0)));
        }
        try (dev.spotlight.models.CausalLM model = dev.spotlight.models.Spotlight.causalLM(dir.resolve("hf").toString())) {
            List<Generator.Result> results = model.generate(prompts, policies, false, null);
            // the rectangle generate returns: left pads, prompt, generated, pad_token_id after a row's eos
            int steps = results.stream().mapToInt(r -> r.generated().length).max().orElse(0);
            for (int row = 0; row < prompts.size(); row++) {
                int[] rectangle = new int[width + steps];
                int[] prompt = prompts.get(row);
                System.arraycopy(prompt, 0, rectangle, width - prompt.length, prompt.length);
                int[] generated = results.get(row).generated();
                System.arraycopy(generated, 0, rectangle, width, generated.length);
                assertArrayEquals(JSON.convertValue(golden.get("sequences").get(row), int[].class), rectangle, "row " + row);
                assertArrayEquals(JSON.convertValue(golden.get("rows").get(row).get("generated_ids"), int[].class), generated);
            }
        }
    }

    @Test
    void meanNegativeLogLikelihoodOfTheSampleNamesEqualsMakemore() throws IOException {
        JsonNode golden = JSON.readTree(dir.resolve("goldens/nll-names-sample.json").toFile());
        List<String> names = Files.readAllLines(dir.resolve("original/names-sample.txt"));
        List<int[]> inputs = new java.util.ArrayList<>();
        for (String name : names) {
            int[] ids = new int[name.length() + 1];  // [0, c1..cn]: makemore's training example
            for (int i = 0; i < name.length(); i++) {
                ids[i + 1] = name.charAt(i) - 'a' + 1;
            }
            inputs.add(ids);
        }
        try (dev.spotlight.models.CausalLM model = dev.spotlight.models.Spotlight.causalLM(dir.resolve("hf").toString())) {
            float[][] logits = model.logits(inputs);  // all 200 names in one packed pass
            double total = 0;
            int count = 0;
            for (int n = 0; n < inputs.size(); n++) {
                int[] ids = inputs.get(n);
                for (int t = 0; t < ids.length; t++) {
                    int target = t + 1 < ids.length ? ids[t + 1] : 0;  // the name, then the stop token 0
                    total -= logSoftmax(logits[n], t * 27, 27, target);
                    count++;
                }
            }
            assertEquals(golden.get("tokens").asInt(), count);
            assertEquals(golden.get("mean_nll").asDouble(), total / count, 1e-4);
        }
    }

    private static double logSoftmax(float[] row, int at, int width, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) {
            max = Math.max(max, row[at + j]);
        }
        double sum = 0;
        for (int j = 0; j < width; j++) {
            sum += Math.exp(row[at + j] - max);
        }
        return row[at + target] - max - Math.log(sum);
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }
}
