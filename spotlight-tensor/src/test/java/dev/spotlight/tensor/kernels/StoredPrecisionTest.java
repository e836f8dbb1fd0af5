package dev.spotlight.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.tensor.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Weights packed in their stored precision (BF16, F16) give products bitwise equal to the same
 * weights widened and packed as F32 (widening is exact and every output element is the same FMA
 * chain), for every tile size, batch size and thread count; and the widening itself is exact for
 * all 65,536 bit patterns of each format.
 */
class StoredPrecisionTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void halfPrecisionProductsAreBitwiseThoseOfTheWidenedWeightsPackedAsF32() {
        Random random = new Random(21);
        int[] ks = {1, 7, 33, 100};
        int[] ns = {1, 31, 33, 70};  // less than a panel, one short of a panel, one over, 2 panels + 6
        int[] ms = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 26, 131};
        for (Precision precision : new Precision[] {Precision.BF16, Precision.F16}) {
            for (int k : ks) {
                for (int n : ns) {
                    short[] bits = randomBits(random, precision, k * n);  // [n, k]
                    float[] widened = widen(bits, precision);
                    PackedMatrix half = PackedMatrix.packTransposed(segment(bits), precision, n, k);
                    PackedMatrix f32 = PackedMatrix.packTransposed(widened, n, k);
                    float[] bias = (k + n) % 2 == 0 ? GemmTest.random(random, n) : null;
                    for (int threads : new int[] {1, 2}) {
                        Parallel.setThreads(threads);
                        for (int m : ms) {
                            float[] a = GemmTest.random(random, m * k);
                            float[] residual = m % 3 == 0 ? GemmTest.random(random, m * n) : null;
                            Activation act = m % 2 == 0 ? Activation.GELU_TANH : Activation.NONE;
                            float[] expected = new float[m * n];
                            float[] actual = new float[m * n];
                            Gemm.matmul(a, m, f32, bias, act, residual, expected);
                            Gemm.matmul(a, m, half, bias, act, residual, actual);
                            assertArrayEquals(expected, actual, precision + " k=" + k + " n=" + n + " m=" + m + ", "
                                    + threads + " threads");
                        }
                    }
                }
            }
        }
    }

    @Test
    void halfPrecisionProductsMatchADoublePrecisionReference() {
        Random random = new Random(22);
        for (Precision precision : new Precision[] {Precision.BF16, Precision.F16}) {
            for (int[] shape : new int[][] {{1, 300, 45}, {5, 64, 100}, {13, 129, 33}, {40, 17, 65}}) {
                int m = shape[0];
                int k = shape[1];
                int n = shape[2];
                short[] bits = randomBits(random, precision, k * n);  // [k, n]
                float[] a = GemmTest.random(random, m * k);
                float[] bias = GemmTest.random(random, n);
                float[] c = new float[m * n];
                Gemm.matmul(a, m, PackedMatrix.pack(segment(bits), precision, k, n), bias, Activation.GELU_ERF, null, c);
                GemmTest.assertMatchesReference(a, m, k, n, widen(bits, precision), bias, Activation.GELU_ERF, null, c,
                        precision + " m=" + m + " k=" + k + " n=" + n);
            }
        }
    }

    /**
     * Every F16 and BF16 bit pattern, widened by both kernel paths (in registers for one row, into the
     * float panel for six), equals {@link Float#float16ToFloat} / the float with those upper bits:
     * a = 1 and a bias of −0 make each output the weight itself (−0 + −0 = −0, +0 + −0 = +0).
     */
    @Test
    void widenedBitsAreExactForAllPatterns() {
        short[] all = new short[65536];
        float[] expectedF16 = new float[65536];
        float[] expectedBf16 = new float[65536];
        for (int h = 0; h < 65536; h++) {
            all[h] = (short) h;
            expectedF16[h] = Float.float16ToFloat((short) h);
            expectedBf16[h] = Float.intBitsToFloat(h << 16);
        }
        for (Precision precision : new Precision[] {Precision.BF16, Precision.F16}) {
            float[] expected = precision == Precision.F16 ? expectedF16 : expectedBf16;
            PackedMatrix w = PackedMatrix.pack(segment(all), precision, 1, 65536);  // [k = 1, n = 65536]
            float[] bias = new float[65536];
            Arrays.fill(bias, -0f);
            for (int m : new int[] {1, 3, 6}) {
                float[] a = new float[m];
                Arrays.fill(a, 1f);
                float[] c = new float[m * 65536];
                Gemm.matmul(a, m, w, bias, Activation.NONE, null, c);
                for (int h = 0; h < 65536; h++) {
                    for (int r = 0; r < m; r++) {
                        assertSameBits(expected[h], c[r * 65536 + h], precision + " " + Integer.toHexString(h) + ", m=" + m);
                    }
                }
            }
            // the embedding lookup widens the same way (a column of a k = 65536 matrix)
            PackedMatrix tall = PackedMatrix.pack(segment(all), precision, 65536, 1);
            float[] column = new float[65536];
            tall.column(0, column, 0);
            for (int h = 0; h < 65536; h++) {
                assertEquals(Float.floatToRawIntBits(expected[h]), Float.floatToRawIntBits(column[h]),
                        precision + " column " + Integer.toHexString(h));
            }
        }
    }

    /** A product's NaN may carry any payload; everything else must match bit for bit. */
    private static void assertSameBits(float expected, float actual, String context) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), context);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), context);
        }
    }

    @Test
    void columnReturnsTheStoredColumnWidened() {
        Random random = new Random(23);
        int k = 37;
        int n = 75;
        for (Precision precision : Precision.values()) {
            short[] bits = precision == Precision.F32 ? null : randomBits(random, precision, k * n);
            float[] values = bits == null ? GemmTest.random(random, k * n) : widen(bits, precision);  // [k, n]
            MemorySegment src = bits == null ? segment(values) : segment(bits);
            PackedMatrix w = PackedMatrix.pack(src, precision, k, n);
            assertEquals(k, w.k());
            assertEquals(n, w.n());
            assertEquals(precision, w.precision());
            assertEquals(3L * k * Gemm.PANEL * precision.bytes(), w.bytes(), "3 panels, the last zero-padded");
            float[] out = new float[k + 5];
            for (int j = 0; j < n; j++) {
                w.column(j, out, 5);
                for (int kk = 0; kk < k; kk++) {
                    assertEquals(Float.floatToRawIntBits(values[kk * n + j]), Float.floatToRawIntBits(out[5 + kk]),
                            precision + " column " + j + " row " + kk);
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> w.column(n, out, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> w.column(0, out, 6));
        }
    }

    @Test
    void f32SegmentsPackToTheBitsOfTheFloatArrayFactories() {
        Random random = new Random(24);
        int k = 45;
        int n = 67;
        float[] w = GemmTest.random(random, k * n);
        assertArrayEquals(PackedMatrix.pack(w, k, n).data, PackedMatrix.pack(segment(w), Precision.F32, k, n).data);
        assertArrayEquals(PackedMatrix.packTransposed(w, n, k).data,
                PackedMatrix.packTransposed(segment(w), Precision.F32, n, k).data);
    }

    /** Packing from a confined arena runs on the caller alone (other threads may not read it); same layout. */
    @Test
    void packingAConfinedSegmentGivesTheSameMatrix() {
        Random random = new Random(25);
        int k = 130;
        int n = 90;
        short[] bits = randomBits(random, Precision.BF16, k * n);
        Parallel.setThreads(2);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment confined = arena.allocate(2L * k * n);
            MemorySegment.copy(segment(bits), 0, confined, 0, 2L * k * n);
            assertArrayEquals(PackedMatrix.pack(segment(bits), Precision.BF16, k, n).halves,
                    PackedMatrix.pack(confined, Precision.BF16, k, n).halves);
            assertArrayEquals(PackedMatrix.packTransposed(segment(bits), Precision.BF16, n, k).halves,
                    PackedMatrix.packTransposed(confined, Precision.BF16, n, k).halves);
        }
    }

    /** matmulEach may mix precisions: each output has the bits of its own product. */
    @Test
    void matmulEachMixesPrecisions() {
        Random random = new Random(26);
        int k = 40;
        int headDim = 16;
        PackedMatrix[] ws = {
            PackedMatrix.packTransposed(segment(randomBits(random, Precision.BF16, 64 * k)), Precision.BF16, 64, k),
            PackedMatrix.packTransposed(GemmTest.random(random, 48 * k), 48, k),
            PackedMatrix.packTransposed(segment(randomBits(random, Precision.F16, 32 * k)), Precision.F16, 32, k)};
        float[][] biases = {GemmTest.random(random, 64), null, GemmTest.random(random, 32)};
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int m : new int[] {1, 3, 9, 70}) {
                float[] a = GemmTest.random(random, m * k);
                float[][] outs = {new float[m * 64], new float[m * 48], new float[m * 32]};
                float[][] headMajor = {new float[m * 64], new float[m * 48], new float[m * 32]};
                Gemm.matmulEach(a, m, ws, biases, outs);
                Gemm.matmulEachHeadMajor(a, m, ws, biases, headDim, headMajor);
                for (int i = 0; i < ws.length; i++) {
                    float[] alone = new float[m * ws[i].n()];
                    Gemm.matmul(a, m, ws[i], biases[i], Activation.NONE, null, alone);
                    String context = "output " + i + ", m=" + m + ", " + threads + " threads";
                    assertArrayEquals(alone, outs[i], context);
                    assertArrayEquals(AttentionTest.headMajor(alone, m, ws[i].n() / headDim, headDim), headMajor[i], context);
                }
            }
        }
    }

    @Test
    void wrongSegmentSizesAreNamedBeforeAllocating() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PackedMatrix.packTransposed(segment(new short[10]), Precision.BF16, 4, 3));
        assertEquals("BF16 matrix [n, k] = [4, 3] needs 24 bytes (2 per element), found a segment of 20 bytes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PackedMatrix.pack(segment(new float[5]), Precision.F32, 2, 3));
        assertEquals("F32 matrix [k, n] = [2, 3] needs 24 bytes (4 per element), found a segment of 20 bytes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PackedMatrix.pack(segment(new short[0]), Precision.F16, 0, 3));
        assertEquals("matrix dimensions must be positive, found k=0, n=3", e.getMessage());
        // 65,536 × 65,536 BF16 would need 2^31 ints: refused from the sizes alone, before the segment is looked at
        e = assertThrows(IllegalArgumentException.class,
                () -> PackedMatrix.pack(segment(new short[1]), Precision.BF16, 65536, 65536));
        assertTrue(e.getMessage().startsWith("BF16 matrix of k = 65536, n = 65536 is too large to pack"), e.getMessage());
    }

    /** Random weights as stored bits: BF16 the upper half of a Gaussian float, F16 its nearest half. */
    static short[] randomBits(Random random, Precision precision, int size) {
        short[] bits = new short[size];
        for (int i = 0; i < size; i++) {
            float x = (float) random.nextGaussian();
            bits[i] = precision == Precision.BF16 ? (short) (Float.floatToRawIntBits(x) >>> 16) : Float.floatToFloat16(x);
        }
        return bits;
    }

    static float[] widen(short[] bits, Precision precision) {
        float[] out = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = precision == Precision.BF16 ? Float.intBitsToFloat(bits[i] << 16) : Float.float16ToFloat(bits[i]);
        }
        return out;
    }

    /** Little-endian bytes, as safetensors stores them. */
    static MemorySegment segment(short[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asShortBuffer().put(values);
        return MemorySegment.ofArray(buffer.array());
    }

    static MemorySegment segment(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return MemorySegment.ofArray(buffer.array());
    }
}
