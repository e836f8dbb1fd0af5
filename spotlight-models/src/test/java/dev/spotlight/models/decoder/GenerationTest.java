package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.generation.FinishReason;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Text in, text out: CausalLM.generate with the model's defaults, options, sampling, stop strings and streaming. */
class GenerationTest {
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
    void greedyTextEqualsTransformersJs() throws IOException {
        JsonNode golden = JSON.readTree(dir.resolve("goldens/hf-generate-left-padding.json").toFile());
        List<String> prompts = JSON.convertValue(golden.get("prompts"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        List<GenerationResult> results = model.generate(prompts, GenerationOptions.greedy().withMaxNewTokens(40));
        for (int i = 0; i < prompts.size(); i++) {
            GenerationResult r = results.get(i);
            assertArrayEquals(JSON.convertValue(golden.get("batch").get("generated_ids").get(i), int[].class), r.generatedIds());
            assertEquals(golden.get("batch").get("texts").get(i).asText(), prompts.get(i) + r.text(), "prompt " + i);
            assertEquals(FinishReason.LENGTH, r.finish().reason());
        }
    }

    @Test
    void samplingIsReproducibleBySeedAndTheSameAloneOrInABatch() {
        GenerationOptions sampling = GenerationOptions.DEFAULTS.withTemperature(0.9).withTopK(40).withTopP(0.95)
                .withMaxNewTokens(30).withSeed(42L);
        List<String> prompts = List.of("Once upon a time", "The dog", "Lily wanted to");
        List<GenerationResult> batch = model.generate(prompts, sampling);
        for (int i = 0; i < prompts.size(); i++) {
            GenerationResult alone = model.generate(List.of(prompts.get(i)), sampling).getFirst();
            assertArrayEquals(alone.generatedIds(), batch.get(i).generatedIds(), "prompt " + i);
            assertEquals(alone.text(), batch.get(i).text());
        }
        assertArrayEquals(batch.getFirst().generatedIds(), model.generate(prompts, sampling).getFirst().generatedIds(),
                "same seed, same tokens");
        assertNotEquals(List.of(batch.getFirst().text()),
                List.of(model.generate(List.of(prompts.getFirst()), sampling.withSeed(7L)).getFirst().text()),
                "another seed, another story");
    }

    @Test
    void aStopStringEndsTheSequenceAndStreamedTextAddsUpToTheResult() {
        Map<Integer, StringBuilder> streamed = new ConcurrentHashMap<>();
        List<CausalLM.Generation> out = model.generate(List.of("Once upon a time", "Tom and Lily"),
                GenerationOptions.greedy().withMaxNewTokens(60).withStopStrings(List.of("park")), false,
                (s, delta) -> streamed.computeIfAbsent(s, k -> new StringBuilder()).append(delta));
        GenerationResult first = out.getFirst().result();
        assertEquals(FinishReason.STOP_STRING, first.finish().reason());
        assertTrue(first.text().endsWith("park"), first.text());
        for (int s = 0; s < out.size(); s++) {
            assertEquals(out.get(s).result().text(), streamed.get(s).toString(), "sequence " + s);
        }
    }

    @Test
    void capturedAttentionCoversEveryTokenAndIsCausal() {
        CausalLM.Generation g = model.generate(List.of("Once upon a time"), GenerationOptions.greedy().withMaxNewTokens(8),
                true, null).getFirst();
        int n = g.result().promptIds().length + g.result().generatedIds().length;
        assertEquals(model.config().numLayers(), g.attentions().length);
        int heads = model.config().numHeads();
        for (float[] layer : g.attentions()) {
            assertEquals(heads * n * n, layer.length);
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        float p = layer[(h * n + i) * n + j];
                        if (j > i) {
                            assertEquals(0f, p, "a later key is invisible");
                        }
                        sum += p;
                    }
                    assertEquals(1.0, sum, 1e-5, "row " + i + " of head " + h);
                }
            }
        }
        // the rows of the generated tokens came from decode steps: they equal a prefill of the whole text
        List<int[]> whole = new ArrayList<>();
        int[] all = new int[n];
        System.arraycopy(g.result().promptIds(), 0, all, 0, g.result().promptIds().length);
        System.arraycopy(g.result().generatedIds(), 0, all, g.result().promptIds().length, g.result().generatedIds().length);
        whole.add(all);
        KvCache.Slot slot = model.cache().open(n);
        DecoderOutput prefill = model.decoder().forward(DecoderBatch.of(whole), List.of(slot), Logits.NONE, true);
        slot.close();
        for (int l = 0; l < g.attentions().length; l++) {
            assertArrayEquals(prefill.attentions()[l][0].probabilities(), g.attentions()[l], "layer " + l);
        }
    }
}
