package dev.spotlight.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.tensor.Parallel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Q8Gemm} against a line-by-line transcription of llama2.c runq.c's {@code quantize} and
 * {@code matmul} (written here, independently of the kernel, with C's {@code round} taken from
 * {@link BigDecimal}'s HALF_UP, which rounds ties away from zero), and against hand-computed cases.
 */
class Q8GemmTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void equalsScalarTranscriptionOfRunqBitForBit() {
        Random random = new Random(7);
        int[] groupSizes = {1, 2, 4, 8, 16, 32, 64};  // below the vector width: scalar sums; from it on: lanes
        for (int gs : groupSizes) {
            for (int m : new int[] {1, 2, 5}) {
                for (int outs : new int[] {1, 15, 17, 40}) {
                    int in = gs * (1 + random.nextInt(5));
                    float[] x = activations(random, m * in);
                    Q8Matrix w = randomMatrix(random, outs, in, gs);
                    float[] out = new float[m * outs];
                    Q8Gemm.matmul(x, m, w, out);
                    float[] expected = runqTranscription(x, m, w);
                    assertBitsEqual(expected, out, "gs=" + gs + " m=" + m + " outs=" + outs + " in=" + in);
                }
            }
        }
    }

    /** 254/127 = 2 exactly, so x/scale is 127, 2.5, -2.5, 0.5: C rounds the ties to 3, -3, 1 (Java's Math.round: 3, -2, 1). */
    @Test
    void activationTiesRoundAwayFromZero() {
        float[] x = {254f, 5f, -5f, 1f, 127f, 0.5f, -0.5f, -1.5f};
        byte[] q = new byte[8];
        float[] s = new float[2];
        Q8Gemm.quantize(x, 0, 8, 4, q, 0, s, 0);
        assertArrayEquals(new byte[] {127, 3, -3, 1, 127, 1, -1, -2}, q);
        assertArrayEquals(new float[] {2f, 1f}, s);
    }

    /** ival = 127·1 + 3·2 − 3·3 + 1·4 = 128; val = 128 · 0.5 · 2 = 128 (then the second group: 127·1·1·1 = 127). */
    @Test
    void handComputedOutputFollowsRunqFormula() {
        Q8Matrix w = Q8Matrix.of(new byte[] {1, 2, 3, 4, 1, 0, 0, 0}, new float[] {0.5f, 1f}, 1, 8, 4);
        float[] out = new float[1];
        Q8Gemm.matmul(new float[] {254f, 5f, -5f, 1f, 127f, 0.5f, -0.5f, -1.5f}, 1, w, out);
        assertEquals(128f + 127f, out[0]);
    }

    /** runq.c divides 0 by 0 here; the kernel makes the group scale 0 and values 0, adding exactly nothing. */
    @Test
    void anAllZeroGroupAddsExactlyNothing() {
        Q8Matrix w = Q8Matrix.of(new byte[] {9, 9, 9, 9, 1, 2, 3, 4}, new float[] {3f, 0.5f}, 1, 8, 4);
        float[] x = {0f, -0f, 0f, 0f, 254f, 5f, -5f, 1f};
        byte[] q = new byte[8];
        float[] s = new float[2];
        Q8Gemm.quantize(x, 0, 8, 4, q, 0, s, 0);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 127, 3, -3, 1}, q);
        assertEquals(0f, s[0]);
        float[] out = new float[1];
        Q8Gemm.matmul(x, 1, w, out);
        assertEquals(128f, out[0]);
        float[] allZero = new float[1];
        Q8Gemm.matmul(new float[8], 1, w, allZero);
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(allZero[0]), "+0.0, never NaN");
    }

    @Test
    void aRowGivesTheSameBitsAloneInABatchAndOnAnyThreadCount() {
        Random random = new Random(11);
        int in = 512;   // enough work that 7 rows split into 17 tasks and a single row into 3
        int outs = 300;
        int m = 7;
        Q8Matrix w = randomMatrix(random, outs, in, 32);
        float[] x = activations(random, m * in);
        Parallel.setThreads(1);
        float[] reference = new float[m * outs];
        Q8Gemm.matmul(x, m, w, reference);
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            float[] batch = new float[m * outs];
            Q8Gemm.matmul(x, m, w, batch);
            assertBitsEqual(reference, batch, threads + " threads");
            for (int r = 0; r < m; r++) {
                float[] row = new float[in];
                System.arraycopy(x, r * in, row, 0, in);
                float[] alone = new float[outs];
                Q8Gemm.matmul(row, 1, w, alone);
                float[] expected = new float[outs];
                System.arraycopy(reference, r * outs, expected, 0, outs);
                assertBitsEqual(expected, alone, "row " + r + " alone, " + threads + " threads");
            }
        }
    }

    /** export.py's quantize_q80 uses torch.round, which rounds ties to even: 2.5 → 2, -2.5 → -2, 0.5 → 0. */
    @Test
    void weightQuantizationRoundsTiesToEvenLikeExportPy() {
        Q8Matrix w = Q8Matrix.quantize(new float[] {127f, 2.5f, -2.5f, 0.5f, 0f, 0f, 0f, 0f}, 2, 4, 4);
        assertArrayEquals(new byte[] {127, 2, -2, 0, 0, 0, 0, 0}, w.values());
        assertArrayEquals(new float[] {1f, 0f}, w.scales());
        assertArrayEquals(new float[] {127f, 2f, -2f, 0f, 0f, 0f, 0f, 0f}, w.dequantize());
    }

    @Test
    void invalidMatricesAreRejectedWithOneLine() {
        assertMessage("Q8 group size 3 does not divide cols 8 (a group must not straddle rows)",
                () -> Q8Matrix.of(new byte[8], new float[2], 1, 8, 3));
        assertMessage("Q8 group size 0 must be in 1.." + Q8Matrix.MAX_GROUP_SIZE,
                () -> Q8Matrix.of(new byte[8], new float[2], 1, 8, 0));
        assertMessage("Q8 values hold 7 bytes, expected rows 1 × cols 8 = 8",
                () -> Q8Matrix.of(new byte[7], new float[2], 1, 8, 4));
        assertMessage("Q8 scales hold 3 floats, expected rows 1 × cols 8 / group size 4 = 2",
                () -> Q8Matrix.of(new byte[8], new float[3], 1, 8, 4));
        assertMessage("Q8 scale 1 (row 0, group 1) is NaN, expected a finite number",
                () -> Q8Matrix.of(new byte[8], new float[] {1f, Float.NaN}, 1, 8, 4));
        assertMessage("x holds 7 floats, expected m 1 × in 8",
                () -> Q8Gemm.matmul(new float[7], 1, Q8Matrix.of(new byte[8], new float[2], 1, 8, 4), new float[1]));
    }

    // ---- runq.c, transcribed statement by statement ----

    private static float[] runqTranscription(float[] x, int m, Q8Matrix w) {
        int n = w.cols();
        int d = w.rows();
        int gs = w.groupSize();
        float[] result = new float[m * d];
        for (int r = 0; r < m; r++) {
            // quantize(&s->xq, x, n)
            byte[] xq = new byte[n];
            float[] xs = new float[n / gs];
            for (int group = 0; group < n / gs; group++) {
                float wmax = 0.0f;
                for (int i = 0; i < gs; i++) {
                    float val = Math.abs(x[r * n + group * gs + i]);
                    if (val > wmax) {
                        wmax = val;
                    }
                }
                float scale = wmax / 127.0f;
                xs[group] = scale;
                for (int i = 0; i < gs; i++) {
                    float quantValue = x[r * n + group * gs + i] / scale;
                    xq[group * gs + i] = Float.isNaN(quantValue) ? 0 : cRound(quantValue);
                }
            }
            // matmul(xout, &xq, w, n, d)
            for (int i = 0; i < d; i++) {
                float val = 0.0f;
                int ival = 0;
                for (int j = 0; j <= n - gs; j += gs) {
                    for (int k = 0; k < gs; k++) {
                        ival += ((int) xq[j + k]) * ((int) w.value(i, j + k));
                    }
                    val += ((float) ival) * w.scale(i, j / gs) * xs[j / gs];
                    ival = 0;
                }
                result[r * d + i] = val;
            }
        }
        return result;
    }

    private static byte cRound(float v) {
        return new BigDecimal(v).setScale(0, RoundingMode.HALF_UP).byteValueExact();
    }

    // ---- helpers ----

    /** Activations with exact ties mixed in: groups whose max is 127 or 254 make x/scale land on .5. */
    private static float[] activations(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (random.nextInt(6)) {
                case 0 -> 127f;
                case 1 -> (random.nextInt(255) - 127) + 0.5f;
                case 2 -> 0f;
                default -> (float) random.nextGaussian() * 3f;
            };
        }
        return x;
    }

    private static Q8Matrix randomMatrix(Random random, int rows, int cols, int gs) {
        byte[] values = new byte[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) (random.nextInt(255) - 127);
        }
        float[] scales = new float[rows * cols / gs];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = random.nextFloat() * 0.01f;
        }
        return Q8Matrix.of(values, scales, rows, cols, gs);
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
