package dev.spotlight.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NormsTest {
    @Test
    void layerNormMatchesDoublePrecision() {
        Random random = new Random(9);
        int rows = 37;
        int dim = 384;
        float[] x = GemmTest.random(random, rows * dim);
        float[] gamma = GemmTest.random(random, dim);
        float[] beta = GemmTest.random(random, dim);
        float[] out = new float[x.length];
        Norms.layerNorm(x, rows, dim, gamma, beta, 1e-12f, out);
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int d = 0; d < dim; d++) {
                mean += x[r * dim + d];
            }
            mean /= dim;
            double var = 0;
            for (int d = 0; d < dim; d++) {
                var += Math.pow(x[r * dim + d] - mean, 2);
            }
            var /= dim;
            for (int d = 0; d < dim; d++) {
                double expected = (x[r * dim + d] - mean) / Math.sqrt(var + 1e-12) * gamma[d] + beta[d];
                assertEquals(expected, out[r * dim + d], 2e-6 * (1 + Math.abs(expected)));
            }
        }
        Norms.layerNorm(x, rows, dim, gamma, beta, 1e-12f, x);  // in place gives the same
        assertArrayEquals(out, x);
    }

    @Test
    void rmsNormMatchesDoublePrecision() {
        float[] x = {3, 4};
        float[] out = new float[2];
        Norms.rmsNorm(x, 1, 2, new float[] {1, 2}, 0f, out);
        double rms = Math.sqrt((9 + 16) / 2.0);
        assertArrayEquals(new float[] {(float) (3 / rms), (float) (8 / rms)}, out, 1e-6f);
    }

    @Test
    void softmaxOfAFullyMaskedRowIsZerosNotNaN() {
        float[] x = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, (float) Math.log(3)};
        Norms.softmax(x, 2, 2);
        assertArrayEquals(new float[] {0, 0, 0.25f, 0.75f}, x, 1e-7f);
    }

    @Test
    void gatherCopiesRowsAndNamesABadId() {
        float[] out = new float[4];
        Norms.gather(new float[] {1, 2, 3, 4, 5, 6}, 2, new int[] {2, 0}, out);
        assertArrayEquals(new float[] {5, 6, 1, 2}, out);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Norms.gather(new float[4], 2, new int[] {2}, new float[2]));
        assertEquals("id 2 at position 0 is outside the table of 2 rows", e.getMessage());
    }
}
