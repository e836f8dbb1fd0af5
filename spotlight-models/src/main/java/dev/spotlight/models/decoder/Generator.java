package dev.spotlight.models.decoder;

import dev.spotlight.models.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The batched generation loop. All prompts are prefilled together, packed (no padding); then every
 * live sequence contributes one token per decode step, and a sequence that finishes leaves the batch
 * at once and frees its cache. A sequence's tokens depend only on its own prompt and policy: the
 * forward pass is batch-invariant and each policy sees only its own sequence, so generating prompts
 * together gives exactly what generating each alone gives.
 */
public final class Generator {
    /** Most prompt tokens one prefill pass takes; longer batches go in several passes (same results). */
    static final int PREFILL_TOKENS = 2048;

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
        int context = decoder.config().maxPositions();
        long positions = 0;
        for (int s = 0; s < n; s++) {
            int length = prompts.get(s).length;
            if (length == 0) {
                throw new ModelException("prompt " + s + " has no tokens: a decoder needs at least one (e.g. its BOS token)");
            }
            if (length >= context) {
                throw new ModelException("prompt " + s + " has " + length + " tokens, but the model's context is " + context
                        + " (max_position_embeddings), with room for none to generate: shorten it");
            }
            positions += capacity(length, policies.get(s), context, capture);
        }
        cache.checkFits(positions, n + " sequence(s) of up to " + (positions / Math.max(1, n)) + " positions");
        if (capture) {
            checkCaptureFits(prompts, policies, context, positions);
        }

        List<KvCache.Slot> slots = new ArrayList<>();
        List<List<float[][]>> steps = new ArrayList<>();  // per sequence, per pass: [layer] → probabilities
        int[][] tokens = new int[n][];
        int[] generated = new int[n];
        try {
            for (int s = 0; s < n; s++) {
                slots.add(cache.open(capacity(prompts.get(s).length, policies.get(s), context, capture)));
                steps.add(new ArrayList<>());
                int[] p = prompts.get(s);
                tokens[s] = Arrays.copyOf(p, p.length + policies.get(s).maxNewTokens());
            }
            float[][] logits = prefill(prompts, slots, capture, steps);
            boolean[] done = new boolean[n];
            List<Integer> live = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                live.add(s);
            }
            while (!live.isEmpty()) {
                for (int s : live) {
                    Policy policy = policies.get(s);
                    int length = prompts.get(s).length + generated[s];
                    int token = policy.choose(logits[s], Arrays.copyOf(tokens[s], length));
                    tokens[s][length] = token;
                    generated[s]++;
                    // the policy sees every token (a text stream must), then the hard limits apply
                    boolean finished = policy.finished(Arrays.copyOf(tokens[s], length + 1), generated[s]);
                    done[s] = finished || generated[s] >= policy.maxNewTokens() || length + 1 >= context;
                    if (listener != null) {
                        listener.token(s, token, done[s]);
                    }
                }
                // with capture, a sequence that just finished is fed its last token once more, so that
                // token has its row of attention too; its logits are not used
                List<Integer> feed = live.stream().filter(s -> capture || !done[s]).toList();
                live.stream().filter(s -> done[s] && !capture).forEach(s -> slots.get(s).close());
                if (feed.isEmpty()) {
                    break;
                }
                logits = step(feed, tokens, prompts, generated, slots, capture, steps);
                feed.stream().filter(s -> done[s]).forEach(s -> slots.get(s).close());
                live = feed.stream().filter(s -> !done[s]).toList();
            }
        } finally {
            slots.forEach(KvCache.Slot::close);
        }
        List<Result> results = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            int[] prompt = prompts.get(s);
            int[] gen = Arrays.copyOfRange(tokens[s], prompt.length, prompt.length + generated[s]);
            results.add(new Result(prompt.clone(), gen, capture ? assemble(steps.get(s), prompt.length + gen.length) : null));
        }
        return results;
    }

    /**
     * Refuses a capture whose matrices would not fit in the free heap (beside the cache the generation
     * reserves), with the size it needs, before anything runs: a sequence of n tokens keeps layers ×
     * heads × n² probabilities twice, as the passes' rows and then as the assembled squares, and one
     * layer's square must fit a Java array. 4,096 tokens through a 24-layer, 14-head model need 45 GB.
     */
    private void checkCaptureFits(List<int[]> prompts, List<Policy> policies, int context, long positions) {
        long layers = decoder.config().numLayers();
        long heads = decoder.config().numHeads();
        long squares = 0;
        long longest = 0;
        for (int s = 0; s < prompts.size(); s++) {
            long n = capacity(prompts.get(s).length, policies.get(s), context, true);
            squares += n * n;
            longest = Math.max(longest, n);
        }
        long bytes = 2 * layers * heads * squares * Float.BYTES;
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()) - positions * cache.bytesPerPosition();
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

    private static int capacity(int promptLength, Policy policy, int context, boolean capture) {
        return (int) Math.min(context, (long) promptLength + policy.maxNewTokens() + (capture ? 1 : 0));
    }

    /** Runs every prompt through the model in passes of at most {@link #PREFILL_TOKENS}; the logits after each. */
    private float[][] prefill(List<int[]> prompts, List<KvCache.Slot> slots, boolean capture, List<List<float[][]>> steps) {
        float[][] logits = new float[prompts.size()][];
        int s = 0;
        while (s < prompts.size()) {
            // whole prompts while they fit; a prompt longer than the budget alone, in pieces
            List<Integer> members = new ArrayList<>();
            int budget = 0;
            while (s < prompts.size() && (members.isEmpty() || budget + prompts.get(s).length <= PREFILL_TOKENS)) {
                budget += prompts.get(s).length;
                members.add(s++);
            }
            if (members.size() == 1) {
                int only = members.getFirst();
                int[] prompt = prompts.get(only);
                for (int from = 0; from < prompt.length; from += PREFILL_TOKENS) {
                    int to = Math.min(prompt.length, from + PREFILL_TOKENS);
                    DecoderOutput out = decoder.forward(
                            DecoderBatch.continuing(List.of(Arrays.copyOfRange(prompt, from, to)), new int[] {from}),
                            List.of(slots.get(only)), to == prompt.length ? Logits.LAST : Logits.NONE, capture);
                    keep(out, List.of(only), steps);
                    if (to == prompt.length) {
                        logits[only] = out.last(0);
                    }
                }
                continue;
            }
            List<int[]> batch = new ArrayList<>();
            List<KvCache.Slot> batchSlots = new ArrayList<>();
            for (int m : members) {
                batch.add(prompts.get(m));
                batchSlots.add(slots.get(m));
            }
            DecoderOutput out = decoder.forward(DecoderBatch.of(batch), batchSlots, Logits.LAST, capture);
            keep(out, members, steps);
            for (int i = 0; i < members.size(); i++) {
                logits[members.get(i)] = out.last(i);
            }
        }
        return logits;
    }

    /** One decode pass: the latest token of each sequence in {@code live}. */
    private float[][] step(List<Integer> live, int[][] tokens, List<int[]> prompts, int[] generated,
                           List<KvCache.Slot> slots, boolean capture, List<List<float[][]>> steps) {
        List<int[]> news = new ArrayList<>();
        List<KvCache.Slot> liveSlots = new ArrayList<>();
        int[] cached = new int[live.size()];
        for (int i = 0; i < live.size(); i++) {
            int s = live.get(i);
            int length = prompts.get(s).length + generated[s];
            news.add(new int[] {tokens[s][length - 1]});
            liveSlots.add(slots.get(s));
            cached[i] = slots.get(s).length();
        }
        DecoderOutput out = decoder.forward(DecoderBatch.continuing(news, cached), liveSlots, Logits.LAST, capture);
        keep(out, live, steps);
        float[][] logits = new float[prompts.size()][];
        for (int i = 0; i < live.size(); i++) {
            logits[live.get(i)] = out.last(i);
        }
        return logits;
    }

    private static void keep(DecoderOutput out, List<Integer> members, List<List<float[][]>> steps) {
        if (out.attentions() == null) {
            return;
        }
        for (int i = 0; i < members.size(); i++) {
            float[][] perLayer = new float[out.attentions().length][];
            for (int l = 0; l < perLayer.length; l++) {
                AttentionCapture c = out.attentions()[l][i];
                perLayer[l] = pack(c);
            }
            steps.get(members.get(i)).add(perLayer);
        }
    }

    /** A capture with its shape in front: [heads, queries, keys, firstQuery, probabilities…]. */
    private static float[] pack(AttentionCapture c) {
        float[] out = new float[4 + c.probabilities().length];
        out[0] = c.heads();
        out[1] = c.queries();
        out[2] = c.keys();
        out[3] = c.firstQuery();
        System.arraycopy(c.probabilities(), 0, out, 4, c.probabilities().length);
        return out;
    }

    /** The passes' rectangles of one sequence stacked into [layer] → [heads, n, n]. */
    private static float[][] assemble(List<float[][]> passes, int n) {
        if (passes.isEmpty()) {
            return null;
        }
        int layers = passes.getFirst().length;
        int heads = (int) passes.getFirst()[0][0];
        float[][] out = new float[layers][heads * n * n];
        for (float[][] pass : passes) {
            for (int l = 0; l < layers; l++) {
                float[] c = pass[l];
                int queries = (int) c[1];
                int keys = (int) c[2];
                int first = (int) c[3];
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < queries && first + i < n; i++) {
                        System.arraycopy(c, 4 + (h * queries + i) * keys, out[l], (h * n + first + i) * n, Math.min(keys, n));
                    }
                }
            }
        }
        return out;
    }
}
