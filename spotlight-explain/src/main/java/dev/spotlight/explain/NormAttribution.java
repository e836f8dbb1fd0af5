package dev.spotlight.explain;

/**
 * Norm-based attribution (Kobayashi et al. 2020, "Attention is Not Only a Weight"): a token's share of
 * an attention output is {@code ‖α_ij f(x_j)‖}, not {@code α_ij} alone, because a token with a tiny
 * transformed vector contributes little however much it is attended to. {@code f_h(x_j) =
 * (x_j W_v^h + b_v^h) W_o^h} is the head's value vector already projected by its slice of the output
 * matrix, so the heads' contributions add up in the model's hidden space. With grouped-query attention
 * {@code f_h} uses the value head that h's group shares and h's own slice of {@code W_o}. A key that the
 * pattern hides has {@code α = 0} and so contributes exactly 0.
 *
 * <p>Inputs: {@code attention [layer][head][query][key]} and {@code headValues [layer][head][token][hidden]}.
 */
public final class NormAttribution {
    private NormAttribution() {
    }

    /** {@code [layer][head][token]}: {@code ‖f_h(x_j)‖}. */
    public static float[][][] valueNorms(float[][][][] headValues) {
        float[][][] norms = new float[headValues.length][][];
        for (int l = 0; l < headValues.length; l++) {
            norms[l] = new float[headValues[l].length][];
            for (int h = 0; h < headValues[l].length; h++) {
                float[][] f = headValues[l][h]; // [token][hidden]
                norms[l][h] = new float[f.length];
                for (int j = 0; j < f.length; j++) {
                    double s = 0;
                    for (float v : f[j]) {
                        s += (double) v * v;
                    }
                    norms[l][h][j] = (float) Math.sqrt(s);
                }
            }
        }
        return norms;
    }

    /** {@code [layer][head][query][key]}: {@code α^h_ij ‖f_h(x_j)‖}. */
    public static double[][][][] perHead(float[][][][] attention, float[][][][] headValues) {
        AttentionShape shape = checkShapes(attention, headValues);
        float[][][] norms = valueNorms(headValues);
        int n = shape.tokens();
        double[][][][] result = new double[shape.layers()][shape.heads()][n][n];
        for (int l = 0; l < shape.layers(); l++) {
            for (int h = 0; h < shape.heads(); h++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        result[l][h][i][j] = attention[l][h][i][j] * (double) norms[l][h][j];
                    }
                }
            }
        }
        return result;
    }

    /**
     * {@code [layer][query][key]}: {@code ‖Σ_h α^h_ij f_h(x_j)‖}, the norm of token j's whole contribution
     * to position i's attention-block output.
     *
     * <p>Expanding the square, {@code ‖Σ_h α^h f_h‖² = Σ_h Σ_g α^h α^g ⟨f_h, f_g⟩}, so one Gram matrix
     * per token ({@code heads²} dot products of length {@code hidden}) replaces a {@code hidden}-long
     * sum per (query, key) pair: 12 layers × 512 tokens drop from ~15 to under 1 GFLOP.
     */
    public static double[][][] headSummed(float[][][][] attention, float[][][][] headValues) {
        AttentionShape shape = checkShapes(attention, headValues);
        int n = shape.tokens();
        int heads = shape.heads();
        double[][][] result = new double[shape.layers()][n][n];
        double[][][] gram = new double[n][heads][heads]; // [token][head][head]
        double[] alpha = new double[heads];
        for (int l = 0; l < shape.layers(); l++) {
            for (int j = 0; j < n; j++) {
                for (int h = 0; h < heads; h++) {
                    for (int g = h; g < heads; g++) {
                        double dot = dot(headValues[l][h][j], headValues[l][g][j]);
                        gram[j][h][g] = dot;
                        gram[j][g][h] = dot;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    for (int h = 0; h < heads; h++) {
                        alpha[h] = attention[l][h][i][j];
                    }
                    double s = 0;
                    for (int h = 0; h < heads; h++) {
                        if (alpha[h] == 0) {
                            continue;
                        }
                        double inner = 0;
                        for (int g = 0; g < heads; g++) {
                            inner += gram[j][h][g] * alpha[g];
                        }
                        s += alpha[h] * inner;
                    }
                    // Rounding can leave a tiny negative where the true value is 0.
                    result[l][i][j] = Math.sqrt(Math.max(0, s));
                }
            }
        }
        return result;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (double) a[k] * b[k];
        }
        return s;
    }

    private static AttentionShape checkShapes(float[][][][] attention, float[][][][] headValues) {
        AttentionShape shape = AttentionShape.of(attention);
        if (headValues == null || headValues.length != shape.layers()) {
            throw new ExplainException("headValues: expected " + shape.layers() + " layers, got "
                    + (headValues == null ? "null" : headValues.length));
        }
        int hidden = -1;
        for (int l = 0; l < shape.layers(); l++) {
            if (headValues[l] == null || headValues[l].length != shape.heads()) {
                throw new ExplainException("headValues[" + l + "]: expected " + shape.heads() + " heads");
            }
            for (int h = 0; h < shape.heads(); h++) {
                float[][] f = headValues[l][h];
                if (f == null || f.length != shape.tokens()) {
                    throw new ExplainException("headValues[" + l + "][" + h + "]: expected " + shape.tokens()
                            + " tokens, got " + (f == null ? "null" : f.length));
                }
                for (int j = 0; j < f.length; j++) {
                    if (hidden < 0) {
                        hidden = f[j] == null ? 0 : f[j].length;
                    }
                    if (f[j] == null || f[j].length != hidden || hidden == 0) {
                        throw new ExplainException("headValues[" + l + "][" + h + "][" + j
                                + "]: expected a vector of length " + hidden);
                    }
                }
            }
        }
        return shape;
    }
}
