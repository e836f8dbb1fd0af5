package dev.spotlight.models.generation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationSettingsTest {
    private static final GenerationConfig SAMPLING_MODEL = new GenerationConfig(1, List.of(2), 0, null, 256, true, 0.6, 20, 0.9,
            0.0, 1.1, List.of("###"));

    private static GenerationSettings resolve(GenerationConfig model, GenerationOptions options) {
        return GenerationSettings.resolve(model, options);
    }

    @Test
    void theModelsDefaultsApplyWhenNothingIsAsked() {
        GenerationSettings s = resolve(SAMPLING_MODEL, GenerationOptions.DEFAULTS);
        assertTrue(s.sample());
        assertEquals(0.6, s.temperature());
        assertEquals(20, s.topK());
        assertEquals(0.9, s.topP());
        assertEquals(1.1, s.repetitionPenalty());
        assertEquals(List.of(2), s.eosTokenIds());
        assertEquals(List.of("###"), s.stopStrings());
        assertEquals(256, s.maxNewTokens(10, 4096));
    }

    @Test
    void explicitOptionsWinOverTheModelsDefaults() {
        GenerationSettings s = resolve(SAMPLING_MODEL, GenerationOptions.DEFAULTS.withTemperature(1.2).withTopK(0).withTopP(1.0)
                .withMinP(0.1).withRepetitionPenalty(1.0).withMaxNewTokens(5).withSeed(3L).withStopStrings(List.of())
                .withKeepStopString(false));
        assertEquals(1.2, s.temperature());
        assertEquals(0, s.topK());
        assertEquals(1.0, s.topP());
        assertEquals(0.1, s.minP());
        assertEquals(1.0, s.repetitionPenalty());
        assertEquals(5, s.maxNewTokens(10, 4096));
        assertEquals(3L, s.seed());
        assertEquals(List.of(), s.stopStrings());
        assertFalse(s.keepStopString());
    }

    @Test
    void temperatureZeroMeansGreedyAndAPositiveTemperatureMeansSampling() {
        assertFalse(resolve(SAMPLING_MODEL, GenerationOptions.greedy()).sample());
        assertTrue(resolve(GenerationConfig.DEFAULTS, GenerationOptions.DEFAULTS.withTemperature(0.8)).sample());
        assertFalse(resolve(GenerationConfig.DEFAULTS, GenerationOptions.DEFAULTS).sample());
        // an explicit do_sample decides over the temperature
        assertFalse(resolve(SAMPLING_MODEL, GenerationOptions.DEFAULTS.withDoSample(false).withTemperature(0.8)).sample());
        assertTrue(resolve(GenerationConfig.DEFAULTS, GenerationOptions.DEFAULTS.withDoSample(true)).sample());
    }

    @Test
    void whenSamplingWithoutATopKTransformersDefaultFiftyApplies() {
        assertEquals(50, resolve(GenerationConfig.DEFAULTS, GenerationOptions.DEFAULTS.withTemperature(0.7)).topK());
    }

    @Test
    void samplingAtTemperatureZeroIsRefused() {
        String options = assertThrows(IllegalArgumentException.class,
                () -> GenerationOptions.DEFAULTS.withDoSample(true).withTemperature(0.0)).getMessage();
        assertEquals("temperature is 0.0, expected a number > 0 when sampling is asked for (temperature 0 means greedy decoding)",
                options);
        GenerationConfig model = new GenerationConfig(null, List.of(), null, null, null, false, 0.0, 50, 1.0, 0.0, 1.0, List.of());
        String resolved = assertThrows(IllegalArgumentException.class,
                () -> resolve(model, GenerationOptions.DEFAULTS.withDoSample(true))).getMessage();
        assertTrue(resolved.startsWith("temperature is 0 (the model's generation config) but sampling was asked for"), resolved);
    }

    @Test
    void invalidOptionsAreOneLineErrors() {
        assertEquals("temperature is -1.0, expected a number >= 0 (0 = greedy)",
                assertThrows(IllegalArgumentException.class, () -> GenerationOptions.DEFAULTS.withTemperature(-1.0)).getMessage());
        assertEquals("top_p is 1.5, expected a number in [0, 1] (1 = off)",
                assertThrows(IllegalArgumentException.class, () -> GenerationOptions.DEFAULTS.withTopP(1.5)).getMessage());
        assertEquals("top_k is -1, expected an integer >= 0 (0 = off)",
                assertThrows(IllegalArgumentException.class, () -> GenerationOptions.DEFAULTS.withTopK(-1)).getMessage());
        assertEquals("min_p is NaN, expected a number in [0, 1] (0 = off)",
                assertThrows(IllegalArgumentException.class, () -> GenerationOptions.DEFAULTS.withMinP(Double.NaN)).getMessage());
        assertEquals("max_new_tokens is 0, expected an integer > 0",
                assertThrows(IllegalArgumentException.class, () -> GenerationOptions.DEFAULTS.withMaxNewTokens(0)).getMessage());
        assertEquals("repetition_penalty is 0.0, expected a number > 0 (1 = off)",
                assertThrows(IllegalArgumentException.class, () -> GenerationOptions.DEFAULTS.withRepetitionPenalty(0.0)).getMessage());
        assertEquals("stop strings is [a, ], expected non-empty strings",
                assertThrows(IllegalArgumentException.class, () -> GenerationOptions.DEFAULTS.withStopStrings(List.of("a", ""))).getMessage());
    }

    @Test
    void anOpenSeedBecomesAConcreteOne() {
        GenerationSettings a = resolve(GenerationConfig.DEFAULTS, GenerationOptions.DEFAULTS.withTemperature(1.0));
        GenerationSettings b = resolve(GenerationConfig.DEFAULTS, GenerationOptions.DEFAULTS.withTemperature(1.0));
        assertNotEquals(a.seed(), b.seed());
        assertEquals(42L, resolve(GenerationConfig.DEFAULTS, GenerationOptions.DEFAULTS.withSeed(42L)).seed());
    }

    @Test
    void lengthLimitsFollowTransformers() {
        GenerationSettings defaults = resolve(GenerationConfig.DEFAULTS, GenerationOptions.DEFAULTS);
        assertEquals(20, defaults.maxNewTokens(7, 512), "max_length unset: 20 new tokens");
        assertEquals(5, defaults.maxNewTokens(507, 512), "capped by the positions left in the context");
        GenerationConfig absolute = new GenerationConfig(null, List.of(), null, 16, null, false, 1, 50, 1, 0, 1, List.of());
        GenerationSettings maxLength16 = resolve(absolute, GenerationOptions.DEFAULTS);
        assertEquals(15, maxLength16.maxNewTokens(1, 100), "an explicit max_length counts the prompt");
        assertEquals(1, maxLength16.maxNewTokens(20, 100), "a prompt past max_length still gets one token, as in transformers");
        assertEquals(3, resolve(absolute, GenerationOptions.DEFAULTS.withMaxNewTokens(3)).maxNewTokens(20, 100),
                "max_new_tokens wins over max_length");
        GenerationConfig twenty = new GenerationConfig(null, List.of(), null, 20, null, false, 1, 50, 1, 0, 1, List.of());
        assertEquals(20, resolve(twenty, GenerationOptions.DEFAULTS).maxNewTokens(15, 100),
                "max_length 20 is transformers v4's default: 20 new tokens");
        String full = assertThrows(IllegalArgumentException.class, () -> defaults.maxNewTokens(512, 512)).getMessage();
        assertEquals("the prompt has 512 tokens and the model's context 512 positions: no room to generate", full);
    }

    @Test
    void theFactoriesMakeChoosersAndStoppingCriteriaForOneSequence() {
        GenerationSettings s = resolve(SAMPLING_MODEL, GenerationOptions.DEFAULTS.withSeed(1L).withMaxNewTokens(2));
        StoppingCriteria stop = s.newStoppingCriteria(1, 10, "");
        int[] ids = {1, 5, 6};
        assertTrue(stop.check(ids, 2, "a", "").isEmpty());
        assertEquals(FinishReason.LENGTH, stop.check(ids, 3, "b", "").orElseThrow().reason());
        assertEquals(1, s.newChooser().next(new float[]{0, 10, 0}, new int[]{0}));
    }
}
