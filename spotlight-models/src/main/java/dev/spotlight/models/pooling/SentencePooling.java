package dev.spotlight.models.pooling;

import java.util.Locale;

/**
 * Sentence embeddings from token states, as sentence-transformers makes them: the mean of the real
 * tokens, the first ([CLS]) token, or the element-wise max; then optionally scaled to unit length.
 * Sums run in double, in token order, so a sentence's embedding does not depend on its batch.
 */
public record SentencePooling(Mode mode, boolean normalize) {

    public enum Mode {
        MEAN, CLS, MAX;

        public static Mode parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "mean" -> MEAN;
                case "cls" -> CLS;
                case "max" -> MAX;
                default -> throw new IllegalArgumentException("pooling '" + name + "' is not one of mean, cls, max");
            };
        }
    }

    /** Pools {@code tokens} rows of {@code states} starting at row {@code first}; states is [rows, hidden]. */
    public float[] pool(float[] states, int first, int tokens, int hidden) {
        float[] out = new float[hidden];
        if (tokens == 0) {
            return out;  // sentence-transformers divides by max(count, 1e-9): an empty input embeds as zeros
        }
        switch (mode) {
            case CLS -> System.arraycopy(states, first * hidden, out, 0, hidden);
            case MEAN -> {
                for (int d = 0; d < hidden; d++) {
                    double sum = 0;
                    for (int t = 0; t < tokens; t++) {
                        sum += states[(first + t) * hidden + d];
                    }
                    out[d] = (float) (sum / tokens);
                }
            }
            case MAX -> {
                for (int d = 0; d < hidden; d++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int t = 0; t < tokens; t++) {
                        max = Math.max(max, states[(first + t) * hidden + d]);
                    }
                    out[d] = max;
                }
            }
        }
        return normalize ? l2Normalize(out) : out;
    }

    /** Scales {@code v} in place to unit L2 norm (a zero vector stays zero, like torch's F.normalize). */
    public static float[] l2Normalize(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        double norm = Math.max(Math.sqrt(sq), 1e-12);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return v;
    }

    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of length " + a.length + " and " + b.length);
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-12);
    }
}
