package dev.spotlight.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.tensor.Parallel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GEMM against a naive double-precision product, on edge shapes, every epilogue, and for bitwise invariance. */
class GemmTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void matchesDoublePrecisionReferenceOnEdgeShapesAndEveryEpilogue() {
        Random random = new Random(1);
        int[] ms = {1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13};
        int[] ks = {1, 3, 16, 17, 64};
        int[] ns = {1, 15, 16, 31, 33, 100};
        for (int m : ms) {
            for (int k : ks) {
                for (int n : ns) {
                    for (Activation act : Activation.values()) {
                        boolean withBias = (m + k + n) % 2 == 0;
                        boolean withResidual = (m + n) % 3 != 0;
                        float[] a = random(random, m * k);
                        float[] w = random(random, k * n);
                        float[] bias = withBias ? random(random, n) : null;
                        float[] residual = withResidual ? random(random, m * n) : null;
                        float[] c = new float[m * n];
                        Gemm.matmul(a, m, PackedMatrix.pack(w, k, n), bias, act, residual, c);
                        assertMatchesReference(a, m, k, n, w, bias, act, residual, c, "m=" + m + " k=" + k + " n=" + n + " " + act);
                    }
                }
            }
        }
    }

    /**
     * 250 rows × 2,600 columns of output (2.6 MB) split into 10 groups of panels that each stay
     * within the activation's cache budget, more than the threads alone ask for, with a partial
     * last panel: every group is activated once, and the residual added once.
     */
    @Test
    void anActivationOverAWideOutputRunsOncePerGroupOfPanels() {
        Random random = new Random(4);
        int m = 250;
        int k = 8;
        int n = 2600;
        float[] a = random(random, m * k);
        float[] w = random(random, k * n);
        float[] bias = random(random, n);
        float[] residual = random(random, m * n);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] c = new float[m * n];
            Gemm.matmul(a, m, PackedMatrix.pack(w, k, n), bias, Activation.GELU_ERF, residual, c);
            assertMatchesReference(a, m, k, n, w, bias, Activation.GELU_ERF, residual, c, threads + " threads");
        }
    }

    /** c = act(a · w + bias) + residual within FP32 rounding of the double-precision product, element by element. */
    static void assertMatchesReference(float[] a, int m, int k, int n, float[] w, float[] bias, Activation act,
                                               float[] residual, float[] c, String context) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = bias == null ? 0 : bias[j];
                for (int kk = 0; kk < k; kk++) {
                    sum += (double) a[i * k + kk] * w[kk * n + j];
                }
                double expected = reference(act, sum) + (residual == null ? 0 : residual[i * n + j]);
                assertEquals(expected, c[i * n + j], 1e-5 * (1 + Math.abs(expected)) * Math.sqrt(k),
                        context + " at " + i + "," + j);
            }
        }
    }

    @Test
    void packTransposedEqualsPackOfTheTranspose() {
        Random random = new Random(2);
        int k = 19;
        int n = 37;
        float[] w = random(random, k * n);     // [k, n]
        float[] wt = new float[n * k];          // [n, k]
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                wt[j * k + i] = w[i * n + j];
            }
        }
        float[] a = random(random, 3 * k);
        float[] c1 = new float[3 * n];
        float[] c2 = new float[3 * n];
        Gemm.matmul(a, 3, PackedMatrix.pack(w, k, n), null, Activation.NONE, null, c1);
        Gemm.matmul(a, 3, PackedMatrix.packTransposed(wt, n, k), null, Activation.NONE, null, c2);
        assertArrayEquals(c1, c2);
    }

    @Test
    void aRowIsBitwiseTheSameForAnyBatchSizeAndThreadCount() {
        Random random = new Random(3);
        int k = 96;
        int n = 70;
        PackedMatrix w = PackedMatrix.pack(random(random, k * n), k, n);
        float[] bias = random(random, n);
        float[] big = random(random, 4096 * k);
        float[] row = Arrays.copyOfRange(big, 1234 * k, 1235 * k);

        Parallel.setThreads(1);
        float[] alone = new float[n];
        Gemm.matmul(row, 1, w, bias, Activation.GELU_ERF, null, alone);
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            float[] all = new float[4096 * n];
            Gemm.matmul(big, 4096, w, bias, Activation.GELU_ERF, null, all);
            assertArrayEquals(alone, Arrays.copyOfRange(all, 1234 * n, 1235 * n), threads + " threads, M=4096");
            float[] seven = new float[7 * n];
            Gemm.matmul(Arrays.copyOfRange(big, 1230 * k, 1237 * k), 7, w, bias, Activation.GELU_ERF, null, seven);
            assertArrayEquals(alone, Arrays.copyOfRange(seven, 4 * n, 5 * n), threads + " threads, M=7");
            // The row at every position of batches whose remainder rows take the 4-, 2- and 1-row tiles
            // (8 and 14 rows end in 4 + 4 instead of 6 + 2).
            for (int rows : new int[] {5, 8, 9, 10, 11, 14, 127}) {
                for (int at = 0; at < rows; at++) {
                    float[] part = new float[rows * n];
                    int first = 1234 - at;
                    Gemm.matmul(Arrays.copyOfRange(big, first * k, (first + rows) * k), rows, w, bias, Activation.GELU_ERF,
                            null, part);
                    assertArrayEquals(alone, Arrays.copyOfRange(part, at * n, at * n + n),
                            threads + " threads, M=" + rows + ", row " + at);
                }
            }
        }
    }

    @Test
    void aSingleRowStreamingSeveralPanelsAtOnceKeepsTheBitsOfARowInABatch() {
        // One row streams runs of up to four whole F32 panels together (4, 2, then 1 at a time); the
        // bits must be those of the same row among 7, which takes the 6-row tiles, for every run
        // length, with a bias, an activation, a residual, several matrices and head-major outputs.
        Random random = new Random(21);
        int k = 45;
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int panels = 1; panels <= 11; panels++) {
                for (int extra : new int[] {0, 5}) {
                    int n = panels * Gemm.PANEL + extra;
                    PackedMatrix w = PackedMatrix.pack(random(random, k * n), k, n);
                    float[] bias = random(random, n);
                    float[] batch = random(random, 7 * k);
                    float[] residuals = random(random, 7 * n);
                    for (Activation act : new Activation[] {Activation.NONE, Activation.GELU_ERF}) {
                        for (boolean withResidual : new boolean[] {false, true}) {
                            float[] one = new float[n];
                            Gemm.matmul(Arrays.copyOfRange(batch, 3 * k, 4 * k), 1, w, bias, act,
                                    withResidual ? Arrays.copyOfRange(residuals, 3 * n, 4 * n) : null, one);
                            float[] seven = new float[7 * n];
                            Gemm.matmul(batch, 7, w, bias, act, withResidual ? residuals : null, seven);
                            assertArrayEquals(Arrays.copyOfRange(seven, 3 * n, 4 * n), one,
                                    "n = " + n + ", " + act + ", residual " + withResidual + ", " + threads + " threads");
                        }
                    }
                }
            }
            // head sizes that split panels: runs of whole panels cross heads
            int headDim = 40;
            PackedMatrix[] ws = {PackedMatrix.pack(random(random, k * 9 * headDim), k, 9 * headDim),
                PackedMatrix.pack(random(random, k * 3 * headDim), k, 3 * headDim)};
            float[][] biases = {random(random, 9 * headDim), null};
            float[] batch = random(random, 7 * k);
            float[][] one = {new float[9 * headDim], new float[3 * headDim]};
            float[][] seven = {new float[7 * 9 * headDim], new float[7 * 3 * headDim]};
            Gemm.matmulEachHeadMajor(Arrays.copyOfRange(batch, 3 * k, 4 * k), 1, ws, biases, headDim, one);
            Gemm.matmulEachHeadMajor(batch, 7, ws, biases, headDim, seven);
            for (int i = 0; i < ws.length; i++) {
                for (int head = 0; head < ws[i].n() / headDim; head++) {
                    int at = (head * 7 + 3) * headDim;
                    assertArrayEquals(Arrays.copyOfRange(seven[i], at, at + headDim),
                            Arrays.copyOfRange(one[i], head * headDim, head * headDim + headDim),
                            "output " + i + ", head " + head + ", " + threads + " threads");
                }
            }
        }
    }

    @Test
    void matmulEachGivesEveryOutputTheBitsOfItsOwnProduct() {
        Random random = new Random(11);
        int k = 37;
        int[] ns = {64, 33, 5};  // whole panels, a partial last panel, less than one panel
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int m : new int[] {1, 7, 16, 130}) {
                float[] a = random(random, m * k);
                PackedMatrix[] ws = new PackedMatrix[ns.length];
                float[][] biases = new float[ns.length][];
                float[][] outs = new float[ns.length][];
                for (int i = 0; i < ns.length; i++) {
                    ws[i] = PackedMatrix.pack(random(random, k * ns[i]), k, ns[i]);
                    biases[i] = i == 1 ? null : random(random, ns[i]);
                    outs[i] = new float[m * ns[i]];
                }
                Gemm.matmulEach(a, m, ws, biases, outs);
                for (int i = 0; i < ns.length; i++) {
                    float[] alone = new float[m * ns[i]];
                    Gemm.matmul(a, m, ws[i], biases[i], Activation.NONE, null, alone);
                    assertArrayEquals(alone, outs[i], "output " + i + ", m = " + m + ", " + threads + " threads");
                }
            }
        }
        PackedMatrix w = PackedMatrix.pack(new float[6], 2, 3);
        PackedMatrix other = PackedMatrix.pack(new float[3], 1, 3);
        float[] out = new float[3];
        var e = assertThrows(IllegalArgumentException.class, () -> Gemm.matmulEach(new float[2], 1,
                new PackedMatrix[] {w, other}, new float[2][], new float[][] {out, new float[3]}));
        assertEquals("matrix 1 has k = 1, matrix 0 has 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.matmulEach(new float[2], 1,
                new PackedMatrix[] {w, w}, new float[2][], new float[][] {out, out}));
        assertEquals("outputs 0 and 1 are the same array", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.matmulEach(new float[2], 1,
                new PackedMatrix[] {w, w}, new float[][] {null, new float[2]}, new float[][] {out, new float[3]}));
        assertEquals("bias 1 has 2 values, expected n = 3", e.getMessage());
    }

    @Test
    void matmulEachHeadMajorWritesTheSameValuesPerHead() {
        Random random = new Random(12);
        int k = 29;
        // head sizes of whole panels (32, 64), and ones whose heads split panels (24, 40, 8)
        for (int headDim : new int[] {32, 64, 24, 40, 8}) {
            int n = 3 * headDim;
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int m : new int[] {1, 7, 130}) {
                    float[] a = random(random, m * k);
                    PackedMatrix[] ws = {PackedMatrix.pack(random(random, k * n), k, n),
                        PackedMatrix.pack(random(random, k * 2 * headDim), k, 2 * headDim)};
                    float[][] biases = {random(random, n), null};
                    float[][] tokenMajor = {new float[m * n], new float[m * 2 * headDim]};
                    float[][] headMajor = {new float[m * n], new float[m * 2 * headDim]};
                    Gemm.matmulEach(a, m, ws, biases, tokenMajor);
                    Gemm.matmulEachHeadMajor(a, m, ws, biases, headDim, headMajor);
                    for (int i = 0; i < ws.length; i++) {
                        int heads = ws[i].n() / headDim;
                        assertArrayEquals(AttentionTest.headMajor(tokenMajor[i], m, heads, headDim), headMajor[i],
                                "headDim " + headDim + ", m " + m + ", output " + i + ", " + threads + " threads");
                    }
                }
            }
        }
        PackedMatrix w = PackedMatrix.pack(new float[2 * 48], 2, 48);
        var e = assertThrows(IllegalArgumentException.class, () -> Gemm.matmulEachHeadMajor(new float[2], 1,
                new PackedMatrix[] {w}, new float[1][], 32, new float[][] {new float[48]}));
        assertEquals("matrix 0 has n = 48, not a multiple of headDim 32", e.getMessage());
    }

    @Test
    void residualIsAddedAfterTheActivationAndMayNotBeTheOutput() {
        float[] a = {1, 2};
        float[] residual = {10, 20, 30};
        float[] c = new float[3];
        PackedMatrix w = PackedMatrix.pack(new float[] {1, 0, 2, 0, -1, 3}, 2, 3);  // a·W = {1, -2, 8}
        Gemm.matmul(a, 1, w, null, Activation.RELU, residual, c);
        assertArrayEquals(new float[] {11, 20, 38}, c);
        var e = assertThrows(IllegalArgumentException.class, () -> Gemm.matmul(a, 1, w, null, Activation.NONE, c, c));
        assertEquals("residual and c must be different arrays", e.getMessage());
        float[] square = {1, 2, 3, 4};
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(square, 2, PackedMatrix.pack(square, 2, 2), null, Activation.NONE, null, square));
        assertEquals("a and c must be different arrays", e.getMessage());
    }

    @Test
    void wrongSizesAreNamed() {
        PackedMatrix w = PackedMatrix.pack(new float[6], 2, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(new float[4], 2, w, new float[2], Activation.NONE, null, new float[6]));
        assertEquals("bias has 2 values, expected n = 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PackedMatrix.pack(new float[5], 2, 3));
    }

    static double reference(Activation act, double x) {
        return switch (act) {
            case NONE -> x;
            case GELU_ERF -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case RELU -> Math.max(0, x);
        };
    }

    static float[] random(Random random, int size) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
