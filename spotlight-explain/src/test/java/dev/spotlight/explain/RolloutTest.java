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

    private static void assertRows(double[][] expected, double[][] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], TOLERANCE, "row " + i);
        }
    }
}
