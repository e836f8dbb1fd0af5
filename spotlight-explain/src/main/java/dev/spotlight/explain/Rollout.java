package dev.spotlight.explain;

/**
 * Attention rollout (Abnar &amp; Zuidema 2020): how much each input token reaches each position after
 * {@code l + 1} layers, by multiplying the residual-augmented attention graphs of layers {@code 0..l}.
 *
 * <p>Decoders need nothing special: under a causal pattern every factor is lower-triangular, so every
 * product is too, and a position traces back only to itself and earlier tokens. A sliding window of
 * {@code w} reaches {@code w - 1} tokens further back with each layer
 * ({@link AttentionPattern#throughLayers}). The residual term is the same {@code (A + I) / 2}
 * approximation for pre-norm decoders as for post-norm encoders: both add the attention output to the
 * unchanged input.
 */
public final class Rollout {
    private Rollout() {
    }

    /**
     * Returns {@code [layer][query][key]}: entry {@code [l][i][j]} is the share of position {@code i}'s
     * representation after layer {@code l} that traces back to input token {@code j}. Each row sums
     * to 1. The last layer's matrix is the usual "rollout".
     */
    public static double[][][] of(float[][][][] attention) {
        double[][][] residual = ResidualAttention.of(attention); // [layer][query][key]
        int layers = residual.length;
        int n = residual[0].length;
        double[][][] rollout = new double[layers][][];
        rollout[0] = residual[0];
        for (int l = 1; l < layers; l++) {
            // rollout_l = A'_l · rollout_{l-1}: the later layer mixes positions that already mixed inputs.
            double[][] next = new double[n][n];
            double[][] a = residual[l];
            double[][] previous = rollout[l - 1];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    double aik = a[i][k];
                    if (aik == 0) {
                        continue;
                    }
                    double[] prevRow = previous[k];
                    double[] out = next[i];
                    for (int j = 0; j < n; j++) {
                        out[j] += aik * prevRow[j];
                    }
                }
            }
            rollout[l] = next;
        }
        return rollout;
    }
}
