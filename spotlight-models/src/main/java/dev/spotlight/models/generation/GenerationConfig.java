package dev.spotlight.models.generation;

import dev.spotlight.models.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's generation defaults: the keys of transformers' {@code GenerationConfig} that Spotlight
 * implements, read from a Hugging Face folder's {@code generation_config.json} with transformers'
 * defaults for missing keys ({@code do_sample} false, {@code temperature} 1.0, {@code top_k} 50,
 * {@code top_p} 1.0, no {@code min_p}, {@code repetition_penalty} 1.0, {@code max_length} 20).
 *
 * <p><b>Where the values come from.</b> As in transformers' {@code from_pretrained}: when the folder
 * has a {@code generation_config.json}, its keys count; when it has none, the generation keys of
 * {@code config.json} do ({@code GenerationConfig.from_model_config}). One addition, taken from
 * transformers.js (which builds its generation config from {@code config.json} and then overlays
 * {@code generation_config.json} key by key): a {@code bos_token_id}, {@code eos_token_id} or
 * {@code pad_token_id} that {@code generation_config.json} lacks (or sets to null) falls back to
 * {@code config.json}'s, so a model never silently loses its end-of-sequence id. A negative
 * {@code pad_token_id} (older Llama configs say -1) means "none", where transformers only warns.
 *
 * <p><b>Keys that would change the result and are refused</b> with a one-line error naming the file:
 * {@code num_beams} != 1, {@code num_return_sequences} != 1, {@code penalty_alpha} > 0 without
 * sampling (contrastive search), {@code dola_layers}, {@code encoder_repetition_penalty} != 1,
 * {@code no_repeat_ngram_size} / {@code encoder_no_repeat_ngram_size} > 0, {@code min_length} /
 * {@code min_new_tokens} > 0, {@code bad_words_ids}, {@code force_words_ids}, {@code constraints},
 * {@code sequence_bias}, {@code forced_decoder_ids}, non-empty {@code suppress_tokens} /
 * {@code begin_suppress_tokens}, {@code forced_bos_token_id}, {@code forced_eos_token_id},
 * {@code exponential_decay_length_penalty}, {@code guidance_scale} != 1, {@code watermarking_config},
 * {@code max_time}, {@code token_healing} true, and, when sampling, {@code typical_p} < 1,
 * {@code epsilon_cutoff} / {@code eta_cutoff} in (0, 1) and {@code top_h}.
 *
 * <p><b>Keys ignored because they cannot change the tokens:</b> the beam-only {@code num_beam_groups},
 * {@code diversity_penalty}, {@code length_penalty}, {@code early_stopping} (transformers itself
 * ignores them when {@code num_beams} is 1); the sampling knobs above when {@code do_sample} is false
 * (transformers warns and ignores them); {@code renormalize_logits} (changes the reported scores, not
 * the choice); {@code remove_invalid_values} (Spotlight rejects NaN logits in any case); the cache,
 * compile, output and assisted-decoding settings ({@code use_cache}, {@code cache_implementation},
 * {@code output_scores}, {@code return_dict_in_generate}, {@code prompt_lookup_num_tokens}, …);
 * {@code decoder_start_token_id} (encoder-decoder models); {@code transformers_version}; and any key
 * transformers does not know.
 *
 * @param bosTokenId        null when unknown
 * @param eosTokenIds       generation stops when any of them is generated; empty when none
 * @param padTokenId        null when none
 * @param maxLength         prompt + generated tokens, null when not set (see {@link GenerationSettings#maxNewTokens})
 * @param maxNewTokens      generated tokens, null when not set; wins over {@code maxLength}
 * @param doSample          false: greedy decoding
 * @param temperature       the logits are divided by it when sampling; > 0 when {@code doSample}
 * @param topK              keep the k most likely tokens when sampling; 0 = off
 * @param topP              keep the smallest set of most likely tokens whose probability reaches p; 1 = off
 * @param minP              keep tokens at least {@code minP} times as likely as the most likely one; 0 = off
 * @param repetitionPenalty > 0; 1 = off
 * @param stopStrings       text that ends generation; empty when none
 */
public record GenerationConfig(Integer bosTokenId, List<Integer> eosTokenIds, Integer padTokenId, Integer maxLength,
                               Integer maxNewTokens, boolean doSample, double temperature, int topK, double topP, double minP,
                               double repetitionPenalty, List<String> stopStrings) {

    /** transformers' {@code GenerationConfig()}: greedy, 20 new tokens, no special token ids. */
    public static final GenerationConfig DEFAULTS = new GenerationConfig(null, List.of(), null, null, null, false, 1.0, 50, 1.0, 0.0,
            1.0, List.of());

    /** The checks name the JSON keys, so that a file's reader can put its name in front of them. */
    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        stopStrings = List.copyOf(stopStrings);
        for (Integer id : eosTokenIds) {
            expect(id >= 0, "eos_token_id", eosTokenIds, "token ids >= 0");
        }
        expect(bosTokenId == null || bosTokenId >= 0, "bos_token_id", bosTokenId, "a token id >= 0");
        expect(padTokenId == null || padTokenId >= 0, "pad_token_id", padTokenId, "a token id >= 0");
        expect(maxLength == null || maxLength > 0, "max_length", maxLength, "an integer > 0");
        expect(maxNewTokens == null || maxNewTokens > 0, "max_new_tokens", maxNewTokens, "an integer > 0");
        expect(temperature >= 0 && Double.isFinite(temperature), "temperature", temperature, "a number >= 0");
        expect(!(doSample && temperature == 0), "temperature", temperature,
                "a number > 0 with do_sample true (transformers rejects 0 too; set do_sample false for greedy decoding)");
        expect(topK >= 0, "top_k", topK, "an integer >= 0 (0 = off)");
        expect(topP >= 0 && topP <= 1, "top_p", topP, "a number in [0, 1]");
        expect(minP >= 0 && minP <= 1, "min_p", minP, "a number in [0, 1]");
        expect(repetitionPenalty > 0 && Double.isFinite(repetitionPenalty), "repetition_penalty", repetitionPenalty, "a number > 0");
        for (String s : stopStrings) {
            expect(s != null && !s.isEmpty(), "stop_strings", stopStrings, "non-empty strings");
        }
    }

    /** The same defaults with other special token ids (e.g. for a llama2.c checkpoint, which has no config files). */
    public GenerationConfig withTokenIds(Integer bos, List<Integer> eos, Integer pad) {
        return new GenerationConfig(bos, eos, pad, maxLength, maxNewTokens, doSample, temperature, topK, topP, minP,
                repetitionPenalty, stopStrings);
    }

    /** Reads {@code generation_config.json} and {@code config.json} of a Hugging Face folder (either may be absent). */
    public static GenerationConfig read(Path modelFolder) {
        Path generation = modelFolder.resolve("generation_config.json");
        Path config = modelFolder.resolve("config.json");
        return parse(readIfPresent(generation), generation.toString(), readIfPresent(config), config.toString());
    }

    /**
     * Builds the config from the two files' bytes (UTF-8 JSON); null = file absent. The sources name
     * the files in error messages.
     */
    public static GenerationConfig parse(byte[] generationJson, String generationSource, byte[] configJson, String configSource) {
        GenerationJson generation = generationJson == null ? null : GenerationJson.parse(generationJson, generationSource);
        GenerationJson config = configJson == null ? null : GenerationJson.parse(configJson, configSource);
        GenerationJson main = generation != null ? generation : config;
        if (main == null) {
            return DEFAULTS;
        }
        Integer bos = firstNonNull(main.tokenId("bos_token_id"), config == null ? null : config.tokenId("bos_token_id"));
        List<Integer> eos = firstNonNull(main.tokenIds("eos_token_id"), config == null ? null : config.tokenIds("eos_token_id"));
        Integer pad = firstNonNull(padId(main), config == null ? null : padId(config));
        boolean doSample = Boolean.TRUE.equals(main.bool("do_sample"));
        refuseUnsupported(main, doSample);
        // "top_k": null in generation_config.json switches top-k off in transformers (from_model_config
        // drops nulls instead, so there the default 50 stays)
        int topK = main == generation && main.mentions("top_k") && !main.has("top_k") ? 0 : orElse(main.integer("top_k"), 50);
        try {
            return new GenerationConfig(bos, eos == null ? List.of() : eos, pad, main.integer("max_length"),
                    main.integer("max_new_tokens"), doSample, orElse(main.number("temperature"), 1.0), topK,
                    orElse(main.number("top_p"), 1.0), orElse(main.number("min_p"), 0.0),
                    orElse(main.number("repetition_penalty"), 1.0), orElse(main.strings("stop_strings"), List.of()));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(main.source() + ": " + e.getMessage(), e);
        }
    }

    private static void refuseUnsupported(GenerationJson f, boolean doSample) {
        refuseIf(f, "num_beams", notEqual(f.integer("num_beams"), 1), "beam search");
        refuseIf(f, "num_return_sequences", notEqual(f.integer("num_return_sequences"), 1), "several sequences per prompt");
        refuseIf(f, "penalty_alpha", !doSample && above(f.number("penalty_alpha"), 0), "contrastive search");
        refuseIf(f, "dola_layers", f.has("dola_layers"), "DoLa decoding");
        refuseIf(f, "encoder_repetition_penalty", notEqual(f.number("encoder_repetition_penalty"), 1.0), "an encoder repetition penalty");
        for (String key : List.of("no_repeat_ngram_size", "encoder_no_repeat_ngram_size")) {
            refuseIf(f, key, above(f.integer(key), 0), "n-gram blocking");
        }
        for (String key : List.of("min_length", "min_new_tokens")) {
            refuseIf(f, key, above(f.integer(key), 0), "a minimum length");
        }
        for (String key : List.of("bad_words_ids", "force_words_ids", "constraints", "sequence_bias", "forced_decoder_ids")) {
            refuseIf(f, key, f.has(key), "constrained tokens");
        }
        for (String key : List.of("suppress_tokens", "begin_suppress_tokens")) {
            refuseIf(f, key, f.has(key) && !(f.root().get(key).isArray() && f.root().get(key).isEmpty()), "token suppression");
        }
        for (String key : List.of("forced_bos_token_id", "forced_eos_token_id")) {
            refuseIf(f, key, f.has(key), "forced tokens");
        }
        refuseIf(f, "exponential_decay_length_penalty", f.has("exponential_decay_length_penalty"), "a length penalty");
        refuseIf(f, "guidance_scale", notEqual(f.number("guidance_scale"), 1.0), "classifier-free guidance");
        refuseIf(f, "watermarking_config", f.has("watermarking_config"), "watermarking");
        refuseIf(f, "max_time", f.has("max_time"), "a time limit");
        refuseIf(f, "token_healing", Boolean.TRUE.equals(f.bool("token_healing")), "token healing");
        if (doSample) {
            refuseIf(f, "typical_p", below(f.number("typical_p"), 1.0), "typical sampling");
            refuseIf(f, "epsilon_cutoff", inOpenUnit(f.number("epsilon_cutoff")), "epsilon sampling");
            refuseIf(f, "eta_cutoff", inOpenUnit(f.number("eta_cutoff")), "eta sampling");
            refuseIf(f, "top_h", f.has("top_h"), "top-h sampling");
        }
    }

    private static Integer padId(GenerationJson f) {
        Integer pad = f.integer("pad_token_id");
        return pad == null || pad < 0 ? null : pad;
    }

    private static void refuseIf(GenerationJson f, String key, boolean refuse, String what) {
        if (refuse) {
            throw f.refused(key, what);
        }
    }

    private static boolean notEqual(Number value, double neutral) {
        return value != null && value.doubleValue() != neutral;
    }

    private static boolean above(Number value, double bound) {
        return value != null && value.doubleValue() > bound;
    }

    private static boolean below(Number value, double bound) {
        return value != null && value.doubleValue() < bound;
    }

    private static boolean inOpenUnit(Double value) {
        return value != null && value > 0 && value < 1;
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static void expect(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(key + " is " + value + ", expected " + expected);
        }
    }

    private static byte[] readIfPresent(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e, e);
        }
    }
}
