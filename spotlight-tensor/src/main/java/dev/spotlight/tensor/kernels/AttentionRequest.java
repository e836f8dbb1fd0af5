package dev.spotlight.tensor.kernels;

/**
 * One call of {@link Attention#forward}: packed queries, keys and values of a whole batch.
 *
 * @param q             [totalQ, qHeads * headDim], or [qHeads, totalQ, headDim] when {@code headMajor}
 * @param k             [totalK, kvHeads * headDim], or [kvHeads, totalK, headDim] when {@code headMajor}
 * @param v             like k
 * @param out           [totalQ, qHeads * headDim] in either case
 * @param cuSeqLensQ    [batch + 1] query row offsets (FlashAttention varlen convention)
 * @param cuSeqLensK    [batch + 1] key row offsets; the same array as cuSeqLensQ for self-attention
 * @param kvHeads       ≤ qHeads and dividing it: grouped-query attention shares each kv head
 * @param scale         multiplies q·k, usually 1/√headDim
 * @param bias          nullable additive score term
 * @param probabilities nullable; when given, {@code probabilities[s]} is [qHeads, lenQ, lenK] and
 *                      receives the softmax of every head selected by {@code probabilityHeads}
 * @param probabilityHeads nullable (all heads) or one flag per query head
 * @param headMajor     q, k and v hold each head's rows contiguously: a (sequence, head) task then
 *                      reads one block instead of a 128-byte slice of every token's row, which set
 *                      conflicts kept out of L1 (attention at length 128 ran 40% faster)
 * @param cache         nullable; when given, keys and values come from it (a KV cache, one block per
 *                      sequence) and {@code k}/{@code v} are not read; {@code cuSeqLensK} still gives
 *                      each sequence's key count
 */
public record AttentionRequest(float[] q, float[] k, float[] v, float[] out, int[] cuSeqLensQ, int[] cuSeqLensK,
                               int qHeads, int kvHeads, int headDim, float scale, Mask mask, AttentionBias bias,
                               float[][] probabilities, boolean[] probabilityHeads, boolean headMajor,
                               CachedKeysValues cache) {

    /**
     * Keys and values kept per sequence, as a KV cache holds them: {@code keys[s]} is
     * [kvHeads, headDim, capacity[s]] (keys transposed: for each head dimension, that coordinate of
     * every position) and {@code values[s]} [kvHeads, capacity[s], headDim]; the first lenK(s)
     * positions of each head are read. Keys are stored transposed because that is the layout the
     * kernel computes scores from (one FMA per head dimension gives a vector of keys' scores): a
     * cache written once in it spares every query head of every step re-transposing all its keys,
     * which was a decode step's largest attention cost. {@code capacity[s]} is a multiple of
     * {@link #ALIGNMENT}, so whole vectors of keys can be read past lenK. A sequence's keys never
     * move when another sequence grows or leaves.
     */
    public record CachedKeysValues(float[][] keys, float[][] values, int[] capacity) {
        /** What every capacity is a multiple of: at least the lanes of any vector species. */
        public static final int ALIGNMENT = 64;
    }

    public AttentionRequest {
        if (qHeads < 1 || kvHeads < 1 || headDim < 1 || qHeads % kvHeads != 0) {
            throw new IllegalArgumentException("heads: q " + qHeads + ", kv " + kvHeads + ", headDim " + headDim
                    + " (kv heads must divide q heads)");
        }
        if (cuSeqLensQ.length != cuSeqLensK.length || cuSeqLensQ.length < 1) {
            throw new IllegalArgumentException("cuSeqLensQ and cuSeqLensK must both have batch + 1 entries");
        }
        int batch = cuSeqLensQ.length - 1;
        for (int s = 0; s < batch; s++) {
            if (cuSeqLensQ[s + 1] < cuSeqLensQ[s] || cuSeqLensK[s + 1] < cuSeqLensK[s]) {
                throw new IllegalArgumentException("cuSeqLens must not decrease (sequence " + s + ")");
            }
        }
        long qFloats = (long) cuSeqLensQ[batch] * qHeads * headDim;
        long kFloats = cache != null ? 0 : (long) cuSeqLensK[batch] * kvHeads * headDim;
        if (q.length < qFloats || out.length < qFloats || k.length < kFloats || v.length < kFloats) {
            throw new IllegalArgumentException("q/out need " + qFloats + " floats and k/v " + kFloats);
        }
        if (cache != null) {
            checkCache(cache, cuSeqLensK, kvHeads, headDim);
        }
        if (mask == null) {
            mask = Mask.NONE;
        }
        if (mask instanceof Mask.Custom custom && custom.allowed().length != batch) {
            throw new IllegalArgumentException("custom mask has " + custom.allowed().length + " sequences, batch has " + batch);
        }
        if (probabilities != null && probabilities.length != batch) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length + " buffers, batch has " + batch);
        }
        if (probabilityHeads != null && probabilityHeads.length != qHeads) {
            throw new IllegalArgumentException("probabilityHeads has " + probabilityHeads.length + " flags, expected " + qHeads);
        }
    }

    /** Bidirectional self-attention (an encoder's), scale 1/√headDim, no probabilities. */
    public static AttentionRequest selfAttention(float[] q, float[] k, float[] v, float[] out, int[] cuSeqLens, int heads,
                                                 int headDim) {
        return new AttentionRequest(q, k, v, out, cuSeqLens, cuSeqLens, heads, heads, headDim,
                (float) (1 / Math.sqrt(headDim)), Mask.NONE, null, null, null, false, null);
    }

    /**
     * Attention of new queries over a KV cache: {@code q} [totalQ, qHeads * headDim] (or head-major,
     * see {@link #withHeadMajorInputs}), keys and values per sequence in {@code cache}, sequence s
     * having {@code cuSeqLensK[s+1] − cuSeqLensK[s]} of them; scale 1/√headDim, no mask yet.
     */
    public static AttentionRequest overCache(float[] q, float[] out, int[] cuSeqLensQ, int[] cuSeqLensK, int qHeads,
                                             int kvHeads, int headDim, CachedKeysValues cache) {
        return new AttentionRequest(q, new float[0], new float[0], out, cuSeqLensQ, cuSeqLensK, qHeads, kvHeads, headDim,
                (float) (1 / Math.sqrt(headDim)), Mask.NONE, null, null, null, false, cache);
    }

    private static void checkCache(CachedKeysValues cache, int[] cuSeqLensK, int kvHeads, int headDim) {
        int batch = cuSeqLensK.length - 1;
        if (cache.keys().length != batch || cache.values().length != batch || cache.capacity().length != batch) {
            throw new IllegalArgumentException("cache holds " + cache.keys().length + " key blocks, "
                    + cache.values().length + " value blocks and " + cache.capacity().length + " capacities; batch has " + batch);
        }
        for (int s = 0; s < batch; s++) {
            int lenK = cuSeqLensK[s + 1] - cuSeqLensK[s];
            long floats = (long) kvHeads * cache.capacity()[s] * headDim;
            if (cache.capacity()[s] < lenK || cache.capacity()[s] % CachedKeysValues.ALIGNMENT != 0
                    || cache.keys()[s].length < floats || cache.values()[s].length < floats) {
                throw new IllegalArgumentException("cache block of sequence " + s + " holds " + cache.capacity()[s]
                        + " positions (" + cache.keys()[s].length + " key floats) for " + lenK + " keys; needs "
                        + floats + " floats and a capacity that is a multiple of " + CachedKeysValues.ALIGNMENT);
            }
        }
    }

    public AttentionRequest withMask(Mask m) {
        return new AttentionRequest(q, k, v, out, cuSeqLensQ, cuSeqLensK, qHeads, kvHeads, headDim, scale, m, bias,
                probabilities, probabilityHeads, headMajor, cache);
    }

    /** The same request with q·k multiplied by {@code s} instead (GPT-2 may scale per layer, or not at all). */
    public AttentionRequest withScale(float s) {
        return new AttentionRequest(q, k, v, out, cuSeqLensQ, cuSeqLensK, qHeads, kvHeads, headDim, s, mask, bias,
                probabilities, probabilityHeads, headMajor, cache);
    }

    public AttentionRequest withBias(AttentionBias b) {
        return new AttentionRequest(q, k, v, out, cuSeqLensQ, cuSeqLensK, qHeads, kvHeads, headDim, scale, mask, b,
                probabilities, probabilityHeads, headMajor, cache);
    }

    /** Also write the softmax probabilities of {@code heads} (null: all heads) into {@code buffers}. */
    public AttentionRequest withProbabilities(float[][] buffers, boolean[] heads) {
        return new AttentionRequest(q, k, v, out, cuSeqLensQ, cuSeqLensK, qHeads, kvHeads, headDim, scale, mask, bias,
                buffers, heads, headMajor, cache);
    }

    /** The same request with q, k and v read as [heads, tokens, headDim] (out stays token-major). */
    public AttentionRequest withHeadMajorInputs() {
        return new AttentionRequest(q, k, v, out, cuSeqLensQ, cuSeqLensK, qHeads, kvHeads, headDim, scale, mask, bias,
                probabilities, probabilityHeads, true, cache);
    }
}
