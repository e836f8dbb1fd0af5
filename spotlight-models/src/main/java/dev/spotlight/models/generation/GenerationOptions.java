package dev.spotlight.models.generation;

import java.util.List;

/**
 * What a caller asks of one {@code generate} call; every null field means "the model's default"
 * ({@link GenerationConfig}). As in transformers, an explicit argument wins over the model's
 * {@code generation_config.json}; {@link GenerationSettings#resolve} applies the rules. Immutable:
 * the {@code with*} methods return a changed copy.
 *
 * <p><b>Greedy or sampling.</b> {@code doSample} decides when set. When it is not, an explicit
 * {@code temperature} decides: 0 means greedy decoding and anything above 0 means sampling (this is
 * how {@code spotlight generate --temperature 0} asks for greedy decoding). Otherwise the model's
 * {@code do_sample} decides. transformers itself never lets the temperature switch modes, and it
 * rejects temperature 0 together with {@code do_sample=True}; so does {@link GenerationSettings#resolve}.
 * When decoding greedily, {@code temperature}, {@code topK}, {@code topP} and {@code minP} have no
 * effect (transformers warns about them); {@code repetitionPenalty} applies to both modes.
 *
 * @param maxNewTokens      at most this many generated tokens (> 0)
 * @param doSample          true: sample; false: greedy
 * @param temperature       >= 0; 0 = greedy (see above)
 * @param topK              >= 0; 0 = off. When sampling and neither this nor the model sets it, transformers' default 50 applies
 * @param topP              in [0, 1]; 1 = off
 * @param minP              in [0, 1]; 0 = off
 * @param repetitionPenalty > 0; 1 = off
 * @param seed              the seed of every sequence's random stream; null = a fresh random seed per call
 * @param stopStrings       replaces the model's stop strings (an empty list removes them); each non-empty
 * @param keepStopString    whether the returned text keeps a stop string that ended generation (true, the
 *                          transformers behaviour) or ends before it (false, the OpenAI API behaviour)
 */
public record GenerationOptions(Integer maxNewTokens, Boolean doSample, Double temperature, Integer topK, Double topP,
                                Double minP, Double repetitionPenalty, Long seed, List<String> stopStrings,
                                boolean keepStopString) {

    /** Nothing asked: the model's defaults, stop strings kept in the text. */
    public static final GenerationOptions DEFAULTS = new GenerationOptions(null, null, null, null, null, null, null, null, null, true);

    public GenerationOptions {
        check(maxNewTokens == null || maxNewTokens > 0, "max_new_tokens", maxNewTokens, "an integer > 0");
        check(temperature == null || (temperature >= 0 && Double.isFinite(temperature)), "temperature", temperature,
                "a number >= 0 (0 = greedy)");
        check(!(Boolean.TRUE.equals(doSample) && temperature != null && temperature == 0), "temperature", temperature,
                "a number > 0 when sampling is asked for (temperature 0 means greedy decoding)");
        check(topK == null || topK >= 0, "top_k", topK, "an integer >= 0 (0 = off)");
        check(topP == null || (topP >= 0 && topP <= 1), "top_p", topP, "a number in [0, 1] (1 = off)");
        check(minP == null || (minP >= 0 && minP <= 1), "min_p", minP, "a number in [0, 1] (0 = off)");
        check(repetitionPenalty == null || (repetitionPenalty > 0 && Double.isFinite(repetitionPenalty)), "repetition_penalty",
                repetitionPenalty, "a number > 0 (1 = off)");
        if (stopStrings != null) {
            stopStrings = List.copyOf(stopStrings);
            check(stopStrings.stream().noneMatch(String::isEmpty), "stop strings", stopStrings, "non-empty strings");
        }
    }

    /** Greedy decoding, everything else the model's. */
    public static GenerationOptions greedy() {
        return DEFAULTS.withTemperature(0.0);
    }

    public GenerationOptions withMaxNewTokens(Integer n) {
        return new GenerationOptions(n, doSample, temperature, topK, topP, minP, repetitionPenalty, seed, stopStrings, keepStopString);
    }

    public GenerationOptions withDoSample(Boolean sample) {
        return new GenerationOptions(maxNewTokens, sample, temperature, topK, topP, minP, repetitionPenalty, seed, stopStrings, keepStopString);
    }

    public GenerationOptions withTemperature(Double t) {
        return new GenerationOptions(maxNewTokens, doSample, t, topK, topP, minP, repetitionPenalty, seed, stopStrings, keepStopString);
    }

    public GenerationOptions withTopK(Integer k) {
        return new GenerationOptions(maxNewTokens, doSample, temperature, k, topP, minP, repetitionPenalty, seed, stopStrings, keepStopString);
    }

    public GenerationOptions withTopP(Double p) {
        return new GenerationOptions(maxNewTokens, doSample, temperature, topK, p, minP, repetitionPenalty, seed, stopStrings, keepStopString);
    }

    public GenerationOptions withMinP(Double p) {
        return new GenerationOptions(maxNewTokens, doSample, temperature, topK, topP, p, repetitionPenalty, seed, stopStrings, keepStopString);
    }

    public GenerationOptions withRepetitionPenalty(Double penalty) {
        return new GenerationOptions(maxNewTokens, doSample, temperature, topK, topP, minP, penalty, seed, stopStrings, keepStopString);
    }

    public GenerationOptions withSeed(Long s) {
        return new GenerationOptions(maxNewTokens, doSample, temperature, topK, topP, minP, repetitionPenalty, s, stopStrings, keepStopString);
    }

    public GenerationOptions withStopStrings(List<String> stops) {
        return new GenerationOptions(maxNewTokens, doSample, temperature, topK, topP, minP, repetitionPenalty, seed, stops, keepStopString);
    }

    public GenerationOptions withKeepStopString(boolean keep) {
        return new GenerationOptions(maxNewTokens, doSample, temperature, topK, topP, minP, repetitionPenalty, seed, stopStrings, keep);
    }

    private static void check(boolean ok, String option, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(option + " is " + value + ", expected " + expected);
        }
    }
}
