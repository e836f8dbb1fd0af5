package dev.spotlight.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionFlowTest {

    @Test
    void singleLayerFlowIsTheResidualAttentionItself() {
        // One layer: the only path from output i to input j is the edge itself.
        float[][][][] attention = {{{{.5f, .5f, 0}, {.2f, .3f, .5f}, {0, 0, 1}}}};
        double[][] flow = AttentionFlow.of(attention);
        double[][] residual = ResidualAttention.of(attention)[0];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(residual[i][j], flow[i][j], 1e-9, "flow[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void flowEqualsBruteForceMinimumCut() {
        // Max-flow = min-cut: enumerate every cut of the layered graph and take the cheapest.
        Random random = new Random(7);
        for (int trial = 0; trial < 3; trial++) {
            float[][][][] attention = SyntheticAttention.random(random, 3, 2, 4, null);
            double[][] flow = AttentionFlow.of(attention);
            double[][][] graph = ResidualAttention.of(attention);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(bruteForceMinCut(graph, i, j), flow[i][j], 1e-9,
                            "trial " + trial + " flow[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void causalFlowEqualsBruteForceMinimumCutAndNeverReachesLaterTokens() {
        Random random = new Random(13);
        float[][][][] attention = SyntheticAttention.under(AttentionPattern.causal(), random, 3, 2, 4);
        double[][] flow = AttentionFlow.of(attention);
        double[][][] graph = ResidualAttention.of(attention);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(bruteForceMinCut(graph, i, j), flow[i][j], 1e-9, "flow[" + i + "][" + j + "]");
                if (j > i) {
                    assertEquals(0.0, flow[i][j], 0.0, "flow[" + i + "][" + j + "] to a later token");
                }
            }
        }
        // The first position has one path, through itself in every layer, of capacity 1 each.
        assertEquals(1.0, flow[0][0], 1e-12);
    }

    @Test
    void inputLongerThanTheLimitIsRefusedWithTheLimitNamed() {
        float[][][][] attention = SyntheticAttention.random(new Random(1), 1, 1, 5, null);
        ExplainException error = assertThrows(ExplainException.class, () -> AttentionFlow.of(attention, 4));
        assertTrue(error.getMessage().contains("5 tokens, the limit is 4"), error.getMessage());
    }

    @Test
    void aTokenLimitWhoseWorkWouldNotFinishIsRefusedWithItsEstimate() {
        float[][][][] attention = SyntheticAttention.random(new Random(1), 6, 1, 5, null);
        ExplainException error = assertThrows(ExplainException.class, () -> AttentionFlow.of(attention, 512));
        assertEquals("attention flow: a token limit of 512 is outside 0..128 (the work grows as tokens⁴: 512 tokens would take"
                + " about 4272 s over 6 layers)", error.getMessage());
        assertThrows(ExplainException.class, () -> AttentionFlow.of(attention, -1));
    }

    private static double bruteForceMinCut(double[][][] graph, int output, int input) {
        int layers = graph.length;
        int n = graph[0].length;
        int nodes = (layers + 1) * n;
        int source = layers * n + output;
        int sink = input;
        double best = Double.POSITIVE_INFINITY;
        for (int subset = 0; subset < (1 << nodes); subset++) {
            boolean sourceSide = (subset >> source & 1) == 1;
            boolean sinkSide = (subset >> sink & 1) == 1;
            if (!sourceSide || sinkSide) {
                continue;
            }
            double cut = 0;
            for (int l = 0; l < layers; l++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        int from = (l + 1) * n + i;
                        int to = l * n + j;
                        if ((subset >> from & 1) == 1 && (subset >> to & 1) == 0) {
                            cut += graph[l][i][j];
                        }
                    }
                }
            }
            best = Math.min(best, cut);
        }
        return best;
    }
}
