package dev.spotlight.view;

import dev.spotlight.explain.Rollout;
import dev.spotlight.explain.SequenceCapture;

/** Builds {@link Heatmap}s from a capture: one head, the mean over heads, or attention rollout. */
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
        return new Heatmap("layer " + layer + " · head " + head, capture.tokens(), capture.tokens(),
                toDouble(capture.attention()[layer][head]), null);
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
        return new Heatmap("layer " + layer + " · mean over heads", capture.tokens(), capture.tokens(), mean, null);
    }

    /** Attention rollout through all layers. */
    public static Heatmap rollout(SequenceCapture capture) {
        double[][][] rollout = Rollout.of(capture.attention());
        return new Heatmap("attention rollout · " + rollout.length + " layers", capture.tokens(), capture.tokens(),
                rollout[rollout.length - 1], null);
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
