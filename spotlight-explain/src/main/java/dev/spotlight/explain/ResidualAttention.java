package dev.spotlight.explain;

/**
 * The per-layer attention graph of Abnar &amp; Zuidema (2020), shared by rollout and flow: the mean of
 * the heads, plus the identity for the residual connection, with each row re-normalised to sum to 1.
 * A query row that attended nowhere (all zeros) becomes the identity row, so information stays put
 * instead of vanishing.
 */
public final class ResidualAttention {
    private ResidualAttention() {
    }

    /** Returns {@code [layer][query][key]}: {@code normalise(mean_h(A[l][h]) + I)}. */
    public static double[][][] of(float[][][][] attention) {
        AttentionShape shape = AttentionShape.of(attention);
        int n = shape.tokens();
        double[][][] result = new double[shape.layers()][n][n]; // [layer][query][key]
        for (int l = 0; l < shape.layers(); l++) {
            for (int i = 0; i < n; i++) {
                double[] row = result[l][i];
                for (int h = 0; h < shape.heads(); h++) {
                    float[] a = attention[l][h][i];
                    for (int j = 0; j < n; j++) {
                        row[j] += a[j];
                    }
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    row[j] = row[j] / shape.heads() + (i == j ? 1.0 : 0.0);
                    sum += row[j];
                }
                for (int j = 0; j < n; j++) {
                    row[j] /= sum;
                }
            }
        }
        return result;
    }
}
