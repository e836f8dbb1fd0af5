package dev.spotlight.models.decoder;

import dev.spotlight.tensor.kernels.Mask;

/**
 * The attention probabilities of one layer for one sequence in one forward pass: its new tokens
 * (queries) over all its keys, cached and new. A prefill is the causal triangle, a decode step a single
 * row, and later cross-attention a rectangle over another sequence's tokens: all are this shape.
 * Invisible keys have probability exactly 0.
 *
 * @param heads         query heads
 * @param queries       new tokens of the sequence in this pass
 * @param keys          keys the queries could attend to: cached + new
 * @param firstQuery    the key index of query 0 (the number of cached keys): query i sits at key
 *                      {@code firstQuery + i}, which is what the causal diagonal is aligned to
 * @param mask          the pattern that decided visibility (causal, sliding window, none, custom)
 * @param probabilities [heads, queries, keys]
 */
public record AttentionCapture(int heads, int queries, int keys, int firstQuery, Mask mask, float[] probabilities) {

    public AttentionCapture {
        if (probabilities.length != (long) heads * queries * keys) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length + " values, expected heads*queries*keys = "
                    + heads + "*" + queries + "*" + keys);
        }
    }

    /** p(head h, query i → key j). */
    public float get(int h, int i, int j) {
        return probabilities[(h * queries + i) * keys + j];
    }
}
