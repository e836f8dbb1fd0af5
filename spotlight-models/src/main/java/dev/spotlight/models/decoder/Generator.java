package dev.spotlight.models.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The batched generation loop over a fixed set of prompts: a {@link GenerationSession} that all of
 * them join at once and that runs until the last one ends. Prompts are prefilled together, packed (no
 * padding), in passes of at most {@link GenerationSession#PREFILL_TOKENS} tokens; then every live
 * sequence contributes one token per decode step, and a sequence that finishes leaves the batch at
 * once and frees its cache. A sequence's tokens depend only on its own prompt and policy: the forward
 * pass is batch-invariant and each policy sees only its own sequence, so generating prompts together
 * gives exactly what generating each alone gives. A server whose requests arrive while a generation
 * runs drives a session itself, adding sequences between steps.
 */
public final class Generator {
    private final Decoder decoder;
    private final KvCache cache;

    public Generator(Decoder decoder, KvCache cache) {
        this.decoder = decoder;
        this.cache = cache;
    }

    /** How one sequence continues: which token comes next and when it is done. Sees only its own tokens. */
    public interface Policy {
        /** The next token, given the logits after the last token and the sequence so far (prompt included). */
        int choose(float[] logits, int[] tokens);

        /**
         * Told of every token as it is chosen ({@code tokens} ends with it; {@code generated} counts the
         * generated ones): whether the sequence ends with it. Called for every token, also the one that
         * reaches a length limit.
         */
        boolean finished(int[] tokens, int generated);

        /** The most tokens it may generate: sizes its cache up front. */
        int maxNewTokens();
    }

    /** Told of every generated token as soon as it is chosen, in step order. */
    public interface Listener {
        void token(int sequence, int token, boolean last);
    }

    /**
     * One sequence's outcome.
     *
     * @param attentions null unless captured: [layer] → [heads, n, n] over prompt + generated tokens
     *                   (n of them), row i being what token i attended to; rows are causal
     */
    public record Result(int[] prompt, int[] generated, float[][] attentions) {
    }

    /**
     * Generates a continuation of every prompt.
     *
     * @param capture also return every layer's attention over prompt and generated tokens (one more
     *                pass feeds each sequence's last token, so every token has its row)
     */
    public List<Result> run(List<int[]> prompts, List<Policy> policies, boolean capture, Listener listener) {
        int n = prompts.size();
        if (policies.size() != n) {
            throw new IllegalArgumentException(policies.size() + " policies for " + n + " prompts");
        }
        try (GenerationSession session = new GenerationSession(decoder, cache, capture)) {
            int context = decoder.config().maxPositions();
            long positions = 0;
            for (int s = 0; s < n; s++) {
                GenerationSession.check(prompts.get(s), s, context);
                positions += session.positions(prompts.get(s).length, policies.get(s));
            }
            cache.checkFits(positions, n + " sequence(s) of up to " + (positions / Math.max(1, n)) + " positions");
            List<GenerationSession.Sequence> sequences = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                sequences.add(session.add(prompts.get(s), policies.get(s), listener));  // sequence s is the session's s
            }
            while (!session.idle()) {
                session.step();
            }
            return sequences.stream().map(GenerationSession.Sequence::result).toList();
        }
    }
}
