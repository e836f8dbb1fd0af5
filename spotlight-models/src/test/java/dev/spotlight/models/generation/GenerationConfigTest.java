package dev.spotlight.models.generation;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.decoder.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationConfigTest {
    private static final String GEN = "m/generation_config.json";
    private static final String CFG = "m/config.json";

    private static GenerationConfig generation(String json) {
        return parse(json, null);
    }

    private static GenerationConfig parse(String generationJson, String configJson) {
        return GenerationConfig.parse(bytes(generationJson), GEN, bytes(configJson), CFG);
    }

    private static byte[] bytes(String json) {
        return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    }

    private static String error(String generationJson) {
        return assertThrows(ModelFormatException.class, () -> generation(generationJson)).getMessage();
    }

    @Test
    void readsTheStories260kFolder() {
        GenerationConfig c = GenerationConfig.read(SharedModels.require("stories260K").resolve("hf"));
        assertEquals(1, c.bosTokenId());
        assertEquals(List.of(2), c.eosTokenIds());
        assertEquals(0, c.padTokenId());
        assertFalse(c.doSample());
        assertNull(c.maxLength());
    }

    @Test
    void readsTheMakemoreFolderWithItsAbsoluteMaxLength() {
        GenerationConfig c = GenerationConfig.read(SharedModels.require("makemore-names").resolve("hf"));
        assertEquals(List.of(0), c.eosTokenIds());
        assertEquals(16, c.maxLength());
        // max_length 16 counts the prompt: a one-token prompt ("." = start) may generate 15
        assertEquals(15, GenerationSettings.resolve(c, GenerationOptions.DEFAULTS).maxNewTokens(1, 16));
    }

    @Test
    void missingKeysTakeTransformersDefaults() {
        GenerationConfig c = generation("{}");
        assertEquals(GenerationConfig.DEFAULTS, c);
        assertEquals(50, c.topK());
        assertEquals(1.0, c.temperature());
        assertEquals(1.0, c.topP());
        assertEquals(0.0, c.minP());
        assertEquals(1.0, c.repetitionPenalty());
        assertEquals(GenerationConfig.DEFAULTS, parse(null, null));
    }

    @Test
    void readsEveryImplementedKey() {
        GenerationConfig c = generation("""
                {"bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "pad_token_id": 5, "max_length": 4096,
                 "max_new_tokens": 300, "do_sample": true, "temperature": 0.6, "top_k": 0, "top_p": 0.9, "min_p": 0.05,
                 "repetition_penalty": 1.1, "stop_strings": ["\\n\\n", "User:"], "transformers_version": "4.45.0"}""");
        assertEquals(new GenerationConfig(128000, List.of(128001, 128008, 128009), 5, 4096, 300, true, 0.6, 0, 0.9, 0.05, 1.1,
                List.of("\n\n", "User:")), c);
        assertEquals(List.of("stop"), generation("{\"stop_strings\": \"stop\"}").stopStrings());
        assertEquals(List.of(7), generation("{\"eos_token_id\": 7}").eosTokenIds());
    }

    @Test
    void specialIdsMissingFromGenerationConfigComeFromConfigJson() {
        String config = "{\"model_type\": \"llama\", \"bos_token_id\": 1, \"eos_token_id\": 2, \"pad_token_id\": 0, \"temperature\": 0.3}";
        GenerationConfig c = parse("{\"do_sample\": true, \"eos_token_id\": null}", config);
        assertEquals(1, c.bosTokenId());
        assertEquals(List.of(2), c.eosTokenIds());
        assertEquals(0, c.padTokenId());
        // other keys do not mix: generation_config.json's (absent) temperature is transformers' default
        assertEquals(1.0, c.temperature());
        // generation_config.json's own ids win
        assertEquals(List.of(9), parse("{\"eos_token_id\": 9}", config).eosTokenIds());
    }

    @Test
    void withoutGenerationConfigTheGenerationKeysOfConfigJsonCount() {
        // transformers' GenerationConfig.from_model_config
        String config = "{\"eos_token_id\": [2, 3], \"do_sample\": true, \"temperature\": 0.3, \"top_k\": null, \"max_length\": 64}";
        GenerationConfig c = parse(null, config);
        assertEquals(List.of(2, 3), c.eosTokenIds());
        assertTrue(c.doSample());
        assertEquals(0.3, c.temperature());
        assertEquals(50, c.topK(), "from_model_config drops nulls, so the default stays");
        assertEquals(64, c.maxLength());
    }

    @Test
    void topKNullSwitchesTopKOff() {
        assertEquals(0, generation("{\"top_k\": null}").topK());
    }

    @Test
    void aNegativePadIdMeansNone() {
        assertNull(parse(null, "{\"pad_token_id\": -1, \"eos_token_id\": 2}").padTokenId());
    }

    @Test
    void invalidValuesNameTheFileTheKeyAndTheValue() {
        assertEquals("m/generation_config.json: temperature is -1.0, expected a number >= 0", error("{\"temperature\": -1}"));
        assertEquals("m/generation_config.json: top_p is 1.5, expected a number in [0, 1]", error("{\"top_p\": 1.5}"));
        assertEquals("m/generation_config.json: eos_token_id is \"x\", expected an integer", error("{\"eos_token_id\": \"x\"}"));
        assertEquals("m/generation_config.json: eos_token_id is [2,\"x\"], expected a token id >= 0 or a list of them",
                error("{\"eos_token_id\": [2, \"x\"]}"));
        assertEquals("m/generation_config.json: do_sample is \"yes\", expected true or false", error("{\"do_sample\": \"yes\"}"));
        assertEquals("m/generation_config.json: top_k is 2.5, expected an integer", error("{\"top_k\": 2.5}"));
        assertEquals("m/generation_config.json: top_k is -3, expected an integer >= 0 (0 = off)", error("{\"top_k\": -3}"));
        assertEquals("m/generation_config.json: min_p is 2.0, expected a number in [0, 1]", error("{\"min_p\": 2}"));
        assertEquals("m/generation_config.json: repetition_penalty is 0.0, expected a number > 0", error("{\"repetition_penalty\": 0}"));
        assertEquals("m/generation_config.json: max_new_tokens is 0, expected an integer > 0", error("{\"max_new_tokens\": 0}"));
        assertEquals("m/generation_config.json: bos_token_id is -2, expected a token id >= 0", error("{\"bos_token_id\": -2}"));
        assertEquals("m/generation_config.json: stop_strings is [\"\"], expected a non-empty string or a list of them",
                error("{\"stop_strings\": [\"\"]}"));
        assertTrue(error("{\"do_sample\": true, \"temperature\": 0}")
                .startsWith("m/generation_config.json: temperature is 0.0, expected a number > 0 with do_sample true"));
        assertTrue(error("{\"top_p\": 0.9,}").startsWith("m/generation_config.json: not well-formed JSON: "));
        assertEquals("m/generation_config.json: expected a JSON object, found ARRAY", error("[]"));
        String fromConfig = assertThrows(ModelFormatException.class,
                () -> parse("{}", "{\"eos_token_id\": 2.5}")).getMessage();
        assertEquals("m/config.json: eos_token_id is 2.5, expected an integer", fromConfig);
        for (String message : List.of(error("{\"temperature\": -1}"), fromConfig)) {
            assertEquals(1, message.lines().count());
        }
    }

    @Test
    void greedyConfigsMayCarryTemperatureZero() {
        assertEquals(0.0, generation("{\"do_sample\": false, \"temperature\": 0}").temperature());
    }

    @Test
    void keysThatWouldChangeTheResultAreRefused() {
        assertEquals("m/generation_config.json: num_beams is 4, which asks for beam search; Spotlight generates greedily or"
                + " by sampling only (remove the key or set it to its default)", error("{\"num_beams\": 4}"));
        for (String json : List.of("{\"num_return_sequences\": 3, \"do_sample\": true}", "{\"penalty_alpha\": 0.6}",
                "{\"no_repeat_ngram_size\": 3}", "{\"min_new_tokens\": 5}", "{\"min_length\": 10}", "{\"bad_words_ids\": [[5]]}",
                "{\"suppress_tokens\": [1, 2]}", "{\"forced_eos_token_id\": 2}", "{\"guidance_scale\": 1.5}",
                "{\"encoder_repetition_penalty\": 1.2}", "{\"do_sample\": true, \"typical_p\": 0.9}",
                "{\"do_sample\": true, \"epsilon_cutoff\": 3e-4}", "{\"do_sample\": true, \"eta_cutoff\": 1e-3}",
                "{\"max_time\": 5.0}", "{\"dola_layers\": \"high\"}", "{\"token_healing\": true}",
                "{\"exponential_decay_length_penalty\": [5, 1.1]}", "{\"watermarking_config\": {\"bias\": 2}}")) {
            assertTrue(error(json).contains("which asks for"), json);
        }
    }

    @Test
    void keysThatCannotChangeTheTokensAreIgnored() {
        GenerationConfig c = generation("""
                {"num_beams": 1, "num_beam_groups": 2, "length_penalty": 2.0, "early_stopping": true, "diversity_penalty": 0.5,
                 "penalty_alpha": 0.6, "do_sample": true, "use_cache": false,
                 "cache_implementation": "static", "output_scores": true, "return_dict_in_generate": true,
                 "renormalize_logits": true, "remove_invalid_values": true, "suppress_tokens": [], "min_length": 0,
                 "no_repeat_ngram_size": 0, "prompt_lookup_num_tokens": 10, "decoder_start_token_id": 0,
                 "transformers_version": "4.51.0", "_from_model_config": true, "some_future_key": {"x": 1}}""");
        assertTrue(c.doSample());
        // the sampling-only knobs are harmless when decoding greedily (transformers warns)
        assertFalse(generation("{\"typical_p\": 0.5, \"epsilon_cutoff\": 0.1, \"eta_cutoff\": 0.1, \"top_h\": 0.4}").doSample());
    }

    @Test
    void readsAFolderWithoutGenerationConfig(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"bos_token_id\": 50256, \"eos_token_id\": 50256}");
        GenerationConfig c = GenerationConfig.read(dir);
        assertEquals(50256, c.bosTokenId());
        assertEquals(List.of(50256), c.eosTokenIds());
        assertEquals(GenerationConfig.DEFAULTS, GenerationConfig.read(dir.resolve("nothing-here")));
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("generation_config.json"), new byte[]{'{', (byte) 0xC3, '}'});
        String message = assertThrows(ModelFormatException.class, () -> GenerationConfig.read(dir)).getMessage();
        assertTrue(message.startsWith(dir.resolve("generation_config.json") + ": "), message);
    }
}
