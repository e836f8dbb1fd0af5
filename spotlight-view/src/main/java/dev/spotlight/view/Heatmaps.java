package dev.spotlight.view;

import dev.spotlight.explain.AttentionPattern;
import dev.spotlight.explain.Rollout;
import dev.spotlight.explain.SequenceCapture;

/**
 * Builds {@link Heatmap}s from a capture: one head, the mean over heads, or attention rollout. Keys the
 * capture's pattern hides (a decoder's later tokens) are marked masked, so they are drawn hatched and
 * never read as small values; generated tokens are labelled apart from the prompt's.
 */
public final class Heatmaps {
    private Heatmaps() {
    }

    /** The attention matrix of one (layer, head). */
    public static Heatmap head(SequenceCapture capture, int layer, int head) {
        checkLayer(capture, layer);
        int heads = capture.attention()[layer].length;
        if (head < 0 || head >= heads) {
            throw new ViewException("head " + head + ": expected 0.." + (heads - 1));
        }
        return heatmap(capture, "layer " + layer + " · head " + head, toDouble(capture.attention()[layer][head]),
                capture.pattern());
    }

    /** The mean over heads of one layer. */
    public static Heatmap meanOverHeads(SequenceCapture capture, int layer) {
        checkLayer(capture, layer);
        float[][][] heads = capture.attention()[layer]; // [head][query][key]
        int n = capture.tokens().size();
        double[][] mean = new double[n][n];
        for (float[][] h : heads) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    mean[i][j] += h[i][j] / (double) heads.length;
                }
            }
        }
        return heatmap(capture, "layer " + layer + " · mean over heads", mean, capture.pattern());
    }

    /** Attention rollout through all layers. */
    public static Heatmap rollout(SequenceCapture capture) {
        double[][][] rollout = Rollout.of(capture.attention());
        // A sliding window reaches further with every layer; only what no chain of layers reaches is masked.
        return heatmap(capture, "attention rollout · " + rollout.length + " layers", rollout[rollout.length - 1],
                capture.pattern().throughLayers(rollout.length));
    }

    /** {@code [query][key]}: true where {@code pattern} hides the key, or null when it hides none. */
    static boolean[][] hidden(AttentionPattern pattern, int n) {
        if (!pattern.masksKeys()) {
            return null;
        }
        boolean[][] hidden = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                hidden[i][j] = !pattern.visible(i, j);
            }
        }
        return hidden;
    }

    private static Heatmap heatmap(SequenceCapture capture, String title, double[][] values, AttentionPattern pattern) {
        return new Heatmap(title, capture.tokens(), capture.tokens(), values,
                hidden(pattern, capture.tokens().size()), capture.promptTokens());
    }

    private static void checkLayer(SequenceCapture capture, int layer) {
        int layers = capture.attention().length;
        if (layer < 0 || layer >= layers) {
            throw new ViewException("layer " + layer + ": expected 0.." + (layers - 1));
        }
    }

    private static double[][] toDouble(float[][] matrix) {
        double[][] out = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            out[i] = new double[matrix[i].length];
            for (int j = 0; j < matrix[i].length; j++) {
                out[i][j] = matrix[i][j];
            }
        }
        return out;
    }
}
