package dev.spotlight.models.generation;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything one {@code generate} call decides, resolved from the model's {@link GenerationConfig}
 * and the caller's {@link GenerationOptions} (an explicit option wins, as in transformers). It makes
 * the per-sequence pieces of the generation loop: a {@link TokenChooser} and a
 * {@link StoppingCriteria} for each sequence, all seeded and limited alike, so a prompt generates the
 * same tokens alone or in any batch.
 *
 * @param sample            false: greedy decoding (argmax, first maximum on ties)
 * @param temperature       > 0 when sampling
 * @param topK              0 = off
 * @param topP              1 = off
 * @param minP              0 = off
 * @param repetitionPenalty 1 = off
 * @param seed              the seed of every sequence's random stream
 * @param eosTokenIds       the model's end-of-sequence ids
 * @param stopStrings       text that ends a sequence
 * @param keepStopString    whether the returned text keeps the stop string (see {@link GenerationResult#of})
 * @param maxNewTokens      explicit limit on generated tokens, or null
 * @param maxLength         the model's limit on prompt + generated tokens, or null
 */
public record GenerationSettings(boolean sample, double temperature, int topK, double topP, double minP, double repetitionPenalty,
                                 long seed, List<Integer> eosTokenIds, List<String> stopStrings, boolean keepStopString,
                                 Integer maxNewTokens, Integer maxLength) {

    /** transformers' default {@code max_length}; v4 treats this exact value as "not set" (20 new tokens). */
    private static final int DEFAULT_MAX_LENGTH = 20;

    public GenerationSettings {
        eosTokenIds = List.copyOf(eosTokenIds);
        stopStrings = List.copyOf(stopStrings);
        // the record's own invariants; the values normally come through GenerationConfig / GenerationOptions
        new GenerationConfig(null, eosTokenIds, null, maxLength, maxNewTokens, sample, temperature, topK, topP, minP,
                repetitionPenalty, stopStrings);
    }

    /**
     * Applies transformers' rule that explicit arguments win, plus the greedy/sampling rule of
     * {@link GenerationOptions}. A seed left open becomes a random one here, so the settings (and
     * anything reporting them) always name the seed that produced the tokens.
     *
     * @throws IllegalArgumentException when the result samples with temperature 0 (transformers refuses it)
     */
    public static GenerationSettings resolve(GenerationConfig model, GenerationOptions user) {
        boolean sample = user.doSample() != null ? user.doSample()
                : user.temperature() != null ? user.temperature() > 0 : model.doSample();
        double temperature = user.temperature() != null ? user.temperature() : model.temperature();
        if (sample && temperature == 0) {
            throw new IllegalArgumentException("temperature is 0 (the model's generation config) but sampling was asked for;"
                    + " give a temperature > 0, or temperature 0 alone for greedy decoding");
        }
        return new GenerationSettings(sample, sample ? temperature : 1.0,
                user.topK() != null ? user.topK() : model.topK(),
                user.topP() != null ? user.topP() : model.topP(),
                user.minP() != null ? user.minP() : model.minP(),
                user.repetitionPenalty() != null ? user.repetitionPenalty() : model.repetitionPenalty(),
                user.seed() != null ? user.seed() : ThreadLocalRandom.current().nextLong(),
                model.eosTokenIds(),
                user.stopStrings() != null ? user.stopStrings() : model.stopStrings(),
                user.keepStopString(),
                user.maxNewTokens() != null ? user.maxNewTokens() : model.maxNewTokens(),
                model.maxLength());
    }

    /**
     * How many tokens a sequence with this prompt may generate, by transformers' rules: an explicit
     * {@code max_new_tokens} counts; otherwise an explicit {@code max_length} counts the prompt too
     * (a prompt already that long still gets one token, as transformers generates before it checks);
     * otherwise 20 new tokens. transformers v4 takes {@code max_length} 20 for "not set" even when a
     * file says so, v5 for an absolute length; this follows v4, so old config.json files that wrote
     * every default keep generating 20 new tokens. Every limit is capped by the positions left in the
     * model's context (transformers caps only the default; it would run past the context otherwise).
     *
     * @throws IllegalArgumentException when the prompt leaves no position free
     */
    public int maxNewTokens(int promptLength, int contextLength) {
        if (promptLength < 0 || contextLength <= 0) {
            throw new IllegalArgumentException("prompt length " + promptLength + " / context length " + contextLength
                    + ", expected >= 0 / > 0");
        }
        int room = contextLength - promptLength;
        if (room <= 0) {
            throw new IllegalArgumentException("the prompt has " + promptLength + " tokens and the model's context "
                    + contextLength + " positions: no room to generate");
        }
        int limit;
        if (maxNewTokens != null) {
            limit = maxNewTokens;
        } else if (maxLength != null && maxLength != DEFAULT_MAX_LENGTH) {
            limit = Math.max(1, maxLength - promptLength);
        } else {
            limit = DEFAULT_MAX_LENGTH;
        }
        return Math.min(limit, room);
    }

    /** A chooser for one sequence, its random stream seeded by {@link #seed} alone. */
    public TokenChooser newChooser() {
        return new TokenChooser(this);
    }

    /**
     * The stopping rules of one sequence.
     *
     * @param precedingText the prompt's text as {@link TextStream#contextText()} gives it (so that a stop
     *                      string may begin in the prompt, as transformers' check over all ids allows), or ""
     */
    public StoppingCriteria newStoppingCriteria(int promptLength, int contextLength, String precedingText) {
        return new StoppingCriteria(eosTokenIds, stopStrings, promptLength, maxNewTokens(promptLength, contextLength), precedingText);
    }
}
