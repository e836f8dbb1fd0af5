package dev.spotlight.explain;

/**
 * Attention flow (Abnar &amp; Zuidema 2020): the maximum flow through the layered graph whose nodes are
 * the tokens at each layer boundary and whose edge {@code (l+1, i) -> (l, j)} has the capacity of the
 * residual-augmented attention of layer {@code l} from query {@code i} to key {@code j}. Entry
 * {@code [i][j]} is the max flow from output position {@code i} (above the last layer) to input token
 * {@code j} (below the first).
 *
 * <p>It runs one max-flow per (output, input) pair, {@code tokens²} flows over a graph of
 * {@code layers · tokens²} edges, so it is limited to short inputs: {@link #DEFAULT_MAX_TOKENS}.
 *
 * <p>Under a causal pattern hidden keys have probability exactly 0 and get no edge, so every path runs
 * from a position to itself or earlier ones and the flow to a later token is exactly 0.
 */
public final class AttentionFlow {
    /**
     * Longest input flow is computed for by default: 48 tokens took 0.33 s over 6 layers and 0.77 s over
     * 12 (random dense attention, one core, measured while other builds ran); 64 tokens took 1.6 s and 3.1 s.
     */
    public static final int DEFAULT_MAX_TOKENS = 48;

    /**
     * The largest token limit accepted. The work grows as layers · tokens⁴ (tokens² flows over
     * layers · tokens² edges): 128 tokens take about 30 s over 6 layers by the figures above, 512
     * tokens would take over an hour (a 17-minute run on 512 tokens was stopped unfinished).
     */
    public static final int MAX_TOKENS = 128;

    /** Seconds flow would take for {@code tokens} over {@code layers}, from the measurement above (0.33 s at 48 × 6). */
    public static double estimatedSeconds(int tokens, int layers) {
        return 0.33 * layers / 6.0 * Math.pow(tokens / 48.0, 4);
    }

    private AttentionFlow() {
    }

    /** Flow with the default token limit. */
    public static double[][] of(float[][][][] attention) {
        return of(attention, DEFAULT_MAX_TOKENS);
    }

    /** Returns {@code [output][input]} flow values; throws if the input has more than {@code maxTokens}. */
    public static double[][] of(float[][][][] attention, int maxTokens) {
        double[][][] graph = ResidualAttention.of(attention); // [layer][query][key]
        int layers = graph.length;
        int n = graph[0].length;
        if (maxTokens < 0 || maxTokens > MAX_TOKENS) {
            throw new ExplainException("attention flow: a token limit of " + maxTokens + " is outside 0.." + MAX_TOKENS
                    + " (the work grows as tokens⁴: " + maxTokens + " tokens would take about "
                    + Math.round(estimatedSeconds(Math.max(maxTokens, 0), layers)) + " s over " + layers + " layers)");
        }
        if (n > maxTokens) {
            throw new ExplainException("attention flow: input has " + n + " tokens, the limit is " + maxTokens
                    + " (one max-flow per token pair over " + layers + " layers)");
        }
        // Node (boundary b, token t) = b * n + t; boundary 0 is the input, boundary `layers` the output.
        MaxFlow flow = new MaxFlow((layers + 1) * n, layers * n * n);
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double c = graph[l][i][j];
                    if (c > 0) {
                        flow.addEdge((l + 1) * n + i, l * n + j, c);
                    }
                }
            }
        }
        double[][] result = new double[n][n]; // [output][input]
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                result[i][j] = flow.solve(layers * n + i, j);
            }
        }
        return result;
    }
}
