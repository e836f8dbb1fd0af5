package dev.spotlight.explain;

/**
 * Summary numbers per (layer, head), each a mean over the sequence's query positions, the measures
 * Clark et al. (2019, "What Does BERT Look At?") used to sort heads into broad, positional and
 * special-token heads. All arrays are {@code [layer][head]}.
 *
 * <p>Under a causal or sliding-window pattern the first query sees only itself, so its attention is 1 on
 * itself and on position 0 whatever the head does; such forced queries (one visible key) are left out of
 * every mean, unless no query has a choice. Position 0 counts as the first token in a decoder whether or
 * not it is special: decoders park attention there whatever it holds (the "attention sink" of Xiao et al.
 * 2023, "Efficient Streaming Language Models with Attention Sinks").
 *
 * @param entropy  mean entropy of a query's attention distribution, in nats
 * @param cls      mean attention on position 0 when it is a special token ([CLS], &lt;s&gt;) or the pattern
 *                 is causal / sliding window; 0 otherwise
 * @param sep      mean attention on the other special tokens ([SEP], &lt;/s&gt;)
 * @param self     mean attention of a token on itself
 * @param previous mean attention on the previous token, over the queries that can see it (0 if none can)
 */
public record HeadStatistics(double[][] entropy, double[][] cls, double[][] sep, double[][] self,
                             double[][] previous) {

    /** Statistics of an encoder's (bidirectional) attention. */
    public static HeadStatistics of(float[][][][] attention, boolean[] special) {
        return of(attention, special, AttentionPattern.bidirectional());
    }

    /**
     * @param attention {@code [layer][head][query][key]} over real tokens
     * @param special   {@code [token]}: true for tokens the tokenizer added (special_tokens_mask)
     * @param pattern   the keys each query could see
     */
    public static HeadStatistics of(float[][][][] attention, boolean[] special, AttentionPattern pattern) {
        AttentionShape shape = AttentionShape.of(attention);
        int n = shape.tokens();
        if (special == null || special.length != n) {
            throw new ExplainException("special: expected " + n + " flags (one per token), got "
                    + (special == null ? "null" : special.length));
        }
        boolean[] counted = countedQueries(n, pattern);
        int queries = 0;
        int withPrevious = 0;
        for (int i = 0; i < n; i++) {
            if (counted[i]) {
                queries++;
                if (i > 0 && pattern.visible(i, i - 1)) {
                    withPrevious++;
                }
            }
        }
        boolean firstIsSink = special[0] || pattern.masksKeys();
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
                    if (!counted[i]) {
                        continue;
                    }
                    for (int j = 0; j < n; j++) {
                        double v = a[i][j];
                        if (v > 0) {
                            e -= v * Math.log(v);
                        }
                        if (j > 0 && special[j]) {
                            s += v;
                        }
                    }
                    if (firstIsSink) {
                        c += a[i][0];
                    }
                    d += a[i][i];
                    if (i > 0 && pattern.visible(i, i - 1)) {
                        p += a[i][i - 1];
                    }
                }
                entropy[l][h] = e / queries;
                cls[l][h] = c / queries;
                sep[l][h] = s / queries;
                self[l][h] = d / queries;
                previous[l][h] = withPrevious > 0 ? p / withPrevious : 0;
            }
        }
        return new HeadStatistics(entropy, cls, sep, self, previous);
    }

    /** The queries that see at least two keys, or all of them when none does. */
    private static boolean[] countedQueries(int n, AttentionPattern pattern) {
        boolean[] counted = new boolean[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            // Query i sees key i; it has a choice iff it also sees i - 1 (causal and window patterns are
            // contiguous up to the query) or, bidirectionally, any other key.
            counted[i] = pattern.masksKeys() ? i > 0 && pattern.visible(i, i - 1) : n > 1;
            any |= counted[i];
        }
        if (!any) {
            java.util.Arrays.fill(counted, true);
        }
        return counted;
    }
}
