package dev.spotlight.models.decoder;

import java.util.List;

/**
 * A generated sequence's attention, gathered pass by pass: each pass gives per layer a rectangle
 * (its new queries over all its keys), and the rectangles stack into the square [heads, n, n] over
 * prompt and generated tokens that the explain and view modules draw.
 */
final class Captures {
    private Captures() {
    }

    /** Sequence {@code s}'s rectangles of one pass, [layer] → [heads, queries, keys, firstQuery, probabilities…]. */
    static float[][] pack(DecoderOutput out, int s) {
        float[][] perLayer = new float[out.attentions().length][];
        for (int l = 0; l < perLayer.length; l++) {
            AttentionCapture c = out.attentions()[l][s];
            float[] packed = new float[4 + c.probabilities().length];
            packed[0] = c.heads();
            packed[1] = c.queries();
            packed[2] = c.keys();
            packed[3] = c.firstQuery();
            System.arraycopy(c.probabilities(), 0, packed, 4, c.probabilities().length);
            perLayer[l] = packed;
        }
        return perLayer;
    }

    /** The passes' rectangles of one sequence stacked into [layer] → [heads, n, n]; null without passes. */
    static float[][] assemble(List<float[][]> passes, int n) {
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
