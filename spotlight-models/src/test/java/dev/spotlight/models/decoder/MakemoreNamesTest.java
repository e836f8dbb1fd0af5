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
