package dev.spotlight.tensor.kernels;

/**
 * Which keys a query may attend to, besides the sequence bounds that packing already gives
 * (padding needs no mask: padded positions are simply not in the packed batch). With different
 * query and key lengths (cross-attention, or a KV cache) the causal diagonal is aligned to the
 * end, as in FlashAttention: query i sees keys j ≤ i + (lenK − lenQ).
 */
public sealed interface Mask {
    /** Every key of the sequence. */
    Mask NONE = new None();

    static Mask causal() {
        return new Causal(Integer.MAX_VALUE);
    }

    /** Causal, and at most {@code window} keys back (the query's own position included). */
    static Mask slidingWindow(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("sliding window must be >= 1, found " + window);
        }
        return new Causal(window);
    }

    /**
     * An arbitrary mask per sequence: {@code allowed[s][i * lenK + j]} says whether query i of
     * sequence s may attend to key j.
     */
    static Mask custom(boolean[][] allowed) {
        return new Custom(allowed);
    }

    record None() implements Mask {
    }

    record Causal(int window) implements Mask {
    }

    record Custom(boolean[][] allowed) implements Mask {
    }
}
