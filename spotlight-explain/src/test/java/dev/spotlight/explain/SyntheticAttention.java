package dev.spotlight.explain;

import java.util.Random;

/** Random attention for tests: softmax rows of Gaussian scores, masked keys exactly 0. */
final class SyntheticAttention {
    private SyntheticAttention() {
    }

    /** {@code [layers][heads][n][n]}; {@code keyMask[j] == false} makes key j receive exactly 0. */
    static float[][][][] random(Random random, int layers, int heads, int n, boolean[] keyMask) {
        return random(random, layers, heads, n, keyMask, AttentionPattern.bidirectional());
    }

    /** {@code [layers][heads][n][n]} where every key {@code pattern} hides from a query receives exactly 0. */
    static float[][][][] under(AttentionPattern pattern, Random random, int layers, int heads, int n) {
        return random(random, layers, heads, n, null, pattern);
    }

    private static float[][][][] random(Random random, int layers, int heads, int n, boolean[] keyMask,
                                        AttentionPattern pattern) {
        float[][][][] attention = new float[layers][heads][n][n];
        for (float[][][] layer : attention) {
            for (float[][] head : layer) {
                for (int i = 0; i < n; i++) {
                    float[] row = head[i];
                    double sum = 0;
                    double[] e = new double[n];
                    for (int j = 0; j < n; j++) {
                        if ((keyMask == null || keyMask[j]) && pattern.visible(i, j)) {
                            e[j] = Math.exp(2 * random.nextGaussian());
                            sum += e[j];
                        }
                    }
                    for (int j = 0; j < n; j++) {
                        row[j] = (float) (e[j] / sum);
                    }
                }
            }
        }
        return attention;
    }
}
