package dev.spotlight.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RolloutTest {
    private static final double TOLERANCE = 1e-7;

    // Two layers, two heads, three tokens. By hand:
    //   layer 0 head mean  = [[1,0,0],[.5,.5,0],[0,.5,.5]]  -> (A+I)/2 = [[1,0,0],[.25,.75,0],[0,.25,.75]]
    //   layer 1 (both heads) [[0,1,0],[0,0,1],[1,0,0]]      -> (A+I)/2 = [[.5,.5,0],[0,.5,.5],[.5,0,.5]]
    //   rollout = A'_1 · A'_0 = [[.625,.375,0],[.125,.5,.375],[.5,.125,.375]]
    static float[][][][] twoLayerExample() {
        float[][] l0h0 = {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}};
        float[][] l0h1 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] l1 = {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
        return new float[][][][] {{l0h0, l0h1}, {l1, l1}};
    }

    @Test
    void rolloutOfTwoLayersMatchesHandComputation() {
        double[][][] rollout = Rollout.of(twoLayerExample());
        assertEquals(2, rollout.length);
        assertRows(new double[][] {{1, 0, 0}, {.25, .75, 0}, {0, .25, .75}}, rollout[0]);
        assertRows(new double[][] {{.625, .375, 0}, {.125, .5, .375}, {.5, .125, .375}}, rollout[1]);
    }

    @Test
    void rolloutRowsSumToOne() {
        double[][][] rollout = Rollout.of(twoLayerExample());
        for (double[][] layer : rollout) {
            for (double[] row : layer) {
                double sum = 0;
                for (double v : row) {
                    sum += v;
                }
                assertEquals(1, sum, TOLERANCE);
            }
        }
    }

    @Test
    void queryThatAttendsNowhereKeepsItsOwnToken() {
        // A fully masked query row is all zeros; with the residual it must become the identity row, not NaN.
        float[][][][] attention = {{{{1, 0}, {0, 0}}}};
        double[][][] rollout = Rollout.of(attention);
        assertRows(new double[][] {{1, 0}, {0, 1}}, rollout[0]);
    }

    @Test
    void causalRolloutMatchesHandComputation() {
        // One head, three tokens, causal (upper triangle exactly 0). By hand:
        //   layer 0 [[1,0,0],[.5,.5,0],[.2,.3,.5]] -> (A+I)/2 = [[1,0,0],[.25,.75,0],[.1,.15,.75]]
        //   layer 1 [[1,0,0],[1,0,0],[0,.5,.5]]   -> (A+I)/2 = [[1,0,0],[.5,.5,0],[0,.25,.75]]
        //   rollout = A'_1 · A'_0 = [[1,0,0],[.625,.375,0],[.1375,.3,.5625]]: still lower-triangular
        float[][][][] attention = {{{{1, 0, 0}, {.5f, .5f, 0}, {.2f, .3f, .5f}}}, {{{1, 0, 0}, {1, 0, 0}, {0, .5f, .5f}}}};
        double[][][] rollout = Rollout.of(attention);
        assertRows(new double[][] {{1, 0, 0}, {.625, .375, 0}, {.1375, .3, .5625}}, rollout[1]);
        assertEquals(0.0, rollout[1][0][1], 0.0, "a position never draws on a later token");
        assertEquals(0.0, rollout[1][1][2], 0.0);
    }

    @Test
    void slidingWindowRolloutReachesOneWindowFurtherEachLayer() {
        // Window 2 over 7 tokens: after layer l, position i draws on j exactly when i - l - 1 <= j <= i.
        AttentionPattern window = AttentionPattern.slidingWindow(2);
        float[][][][] attention = SyntheticAttention.under(window, new java.util.Random(11), 3, 2, 7);
        double[][][] rollout = Rollout.of(attention);
        for (int l = 0; l < 3; l++) {
            AttentionPattern reach = window.throughLayers(l + 1);
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 7; j++) {
                    String where = "rollout[" + l + "][" + i + "][" + j + "] = " + rollout[l][i][j];
                    if (reach.visible(i, j)) {
                        org.junit.jupiter.api.Assertions.assertTrue(rollout[l][i][j] > 0, where);
                    } else {
                        assertEquals(0.0, rollout[l][i][j], 0.0, where);
                    }
                }
            }
        }
    }

    private static void assertRows(double[][] expected, double[][] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], TOLERANCE, "row " + i);
        }
    }
}
