package dev.spotlight.models.decoder;

import dev.spotlight.models.FreeHeap;
import dev.spotlight.models.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
            if (capture) {
                checkCaptureFits(session, prompts, policies, positions);
            }
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
    /**
     * Refuses a capture whose matrices would not fit in the free heap (beside the cache the generation
     * reserves), with the size it needs, before anything runs: a sequence of n tokens keeps layers ×
     * heads × n² probabilities twice, as the passes' rows and then as the assembled squares, and one
     * layer's square must fit a Java array. 4,096 tokens through a 24-layer, 14-head model need 45 GB.
     */
    private void checkCaptureFits(GenerationSession session, List<int[]> prompts, List<Policy> policies, long positions) {
        long layers = decoder.config().numLayers();
        long heads = decoder.config().numHeads();
        long squares = 0;
        long longest = 0;
        for (int s = 0; s < prompts.size(); s++) {
            long n = session.positions(prompts.get(s).length, policies.get(s));
            squares += n * n;
            longest = Math.max(longest, n);
        }
        long bytes = 2 * layers * heads * squares * Float.BYTES;
        long reserved = positions * cache.bytesPerPosition();
        long free = FreeHeap.bytes(bytes + reserved) - reserved;
        boolean arrayFits = heads * longest * longest <= Integer.MAX_VALUE - 8;
        if (bytes > free || !arrayFits) {
            throw new ModelException(String.format(Locale.ROOT, "capturing the attention of %d sequence(s) of up to %d tokens"
                    + " (prompt and new tokens) needs about %.2f GB (%d layers × %d heads × tokens² floats per sequence, kept"
                    + " twice while the rows are assembled), but %.2f GB of the heap is free%s: generate fewer tokens or"
                    + " sequences with attention, or give the JVM more heap (-Xmx)", prompts.size(), longest, bytes / 1e9,
                    layers, heads, Math.max(0, free) / 1e9, arrayFits ? "" : " (and one layer's matrices would pass the largest"
                    + " Java array)"));
        }
    }
}
