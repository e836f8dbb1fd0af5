package dev.spotlight.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NormAttributionTest {

    @Test
    void headSummedEqualsNormOfDirectlySummedVectors() {
        Random random = new Random(3);
        int layers = 2, heads = 3, n = 5, hidden = 7;
        float[][][][] attention = SyntheticAttention.random(random, layers, heads, n, null);
        float[][][][] values = randomValues(random, layers, heads, n, hidden);
        double[][][] summed = NormAttribution.headSummed(attention, values);
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double[] vector = new double[hidden];
                    for (int h = 0; h < heads; h++) {
                        for (int d = 0; d < hidden; d++) {
                            vector[d] += attention[l][h][i][j] * (double) values[l][h][j][d];
                        }
                    }
                    double norm = 0;
                    for (double v : vector) {
                        norm += v * v;
                    }
                    assertEquals(Math.sqrt(norm), summed[l][i][j], 1e-9, "[" + l + "][" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void perHeadIsAttentionTimesValueNorm() {
        // By hand: ‖(3, 4)‖ = 5, ‖(0, 1)‖ = 1.
        float[][][][] attention = {{{{.25f, .75f}, {1, 0}}}};
        float[][][][] values = {{{{3, 4}, {0, 1}}}};
        double[][][][] perHead = NormAttribution.perHead(attention, values);
        assertEquals(1.25, perHead[0][0][0][0], 1e-9);
        assertEquals(.75, perHead[0][0][0][1], 1e-9);
        assertEquals(5, perHead[0][0][1][0], 1e-9);
        assertEquals(0, perHead[0][0][1][1], 1e-9);
        assertEquals(5f, NormAttribution.valueNorms(values)[0][0][0], 1e-6f);
    }

    @Test
    void oppositeHeadVectorsCancelInTheSum() {
        // Two heads put .5 on token 0 whose vectors are (2, 0) and (-2, 0): per head 1 each, summed 0.
        float[][][][] attention = {{{{.5f, .5f}, {.5f, .5f}}, {{.5f, .5f}, {.5f, .5f}}}};
        float[][][][] values = {{{{2, 0}, {0, 1}}, {{-2, 0}, {0, 1}}}};
        double[][][] summed = NormAttribution.headSummed(attention, values);
        assertEquals(0, summed[0][0][0], 1e-9);
        assertEquals(1, summed[0][0][1], 1e-9);
    }

    @Test
    void keysHiddenByACausalPatternContributeExactlyNothing() {
        Random random = new Random(17);
        float[][][][] attention = SyntheticAttention.under(AttentionPattern.causal(), random, 2, 3, 5);
        float[][][][] values = randomValues(random, 2, 3, 5, 4);
        double[][][] summed = NormAttribution.headSummed(attention, values);
        double[][][][] perHead = NormAttribution.perHead(attention, values);
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < 5; i++) {
                for (int j = i + 1; j < 5; j++) {
                    assertEquals(0.0, summed[l][i][j], 0.0, "summed[" + l + "][" + i + "][" + j + "]");
                    for (int h = 0; h < 3; h++) {
                        assertEquals(0.0, perHead[l][h][i][j], 0.0);
                    }
                }
                org.junit.jupiter.api.Assertions.assertTrue(summed[l][i][i] > 0, "the query itself is visible");
            }
        }
    }

    private static float[][][][] randomValues(Random random, int layers, int heads, int n, int hidden) {
        float[][][][] values = new float[layers][heads][n][hidden];
        for (float[][][] layer : values) {
            for (float[][] head : layer) {
                for (float[] token : head) {
                    for (int d = 0; d < hidden; d++) {
                        token[d] = (float) random.nextGaussian();
                    }
                }
            }
        }
        return values;
    }
}
