package dev.spotlight.explain;

/**
 * Summary numbers per (layer, head), each a mean over the sequence's query positions, the measures
 * Clark et al. (2019, "What Does BERT Look At?") used to sort heads into broad, positional and
 * special-token heads. All arrays are {@code [layer][head]}.
 *
 * @param entropy  mean entropy of a query's attention distribution, in nats
 * @param cls      mean attention on position 0 when it is a special token ([CLS], &lt;s&gt;); 0 otherwise
 * @param sep      mean attention on the other special tokens ([SEP], &lt;/s&gt;)
 * @param self     mean attention of a token on itself
 * @param previous mean attention on the previous token, over queries 1..n-1 (0 for a one-token input)
 */
public record HeadStatistics(double[][] entropy, double[][] cls, double[][] sep, double[][] self,
                             double[][] previous) {

    /**
     * @param attention {@code [layer][head][query][key]} over real tokens
     * @param special   {@code [token]}: true for tokens the tokenizer added (special_tokens_mask)
     */
    public static HeadStatistics of(float[][][][] attention, boolean[] special) {
        AttentionShape shape = AttentionShape.of(attention);
        int n = shape.tokens();
        if (special == null || special.length != n) {
            throw new ExplainException("special: expected " + n + " flags (one per token), got "
                    + (special == null ? "null" : special.length));
        }
        int layers = shape.layers();
        int heads = shape.heads();
        double[][] entropy = new double[layers][heads];
        double[][] cls = new double[layers][heads];
        double[][] sep = new double[layers][heads];
        double[][] self = new double[layers][heads];
        double[][] previous = new double[layers][heads];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                float[][] a = attention[l][h]; // [query][key]
                double e = 0, c = 0, s = 0, d = 0, p = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double v = a[i][j];
                        if (v > 0) {
                            e -= v * Math.log(v);
                        }
                        if (special[j]) {
                            if (j == 0) {
                                c += v;
                            } else {
                                s += v;
                            }
                        }
                    }
                    d += a[i][i];
                    if (i > 0) {
                        p += a[i][i - 1];
                    }
                }
                entropy[l][h] = e / n;
                cls[l][h] = c / n;
                sep[l][h] = s / n;
                self[l][h] = d / n;
                previous[l][h] = n > 1 ? p / (n - 1) : 0;
            }
        }
        return new HeadStatistics(entropy, cls, sep, self, previous);
    }
}
