package dev.spotlight.tensor.kernels;

import static dev.spotlight.tensor.kernels.Gemm.LANES;
import static dev.spotlight.tensor.kernels.Gemm.PANEL;
import static dev.spotlight.tensor.kernels.Gemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s work on BF16 and F16 panels ({@link PackedMatrix}: a panel row's 2·LANES columns in
 * LANES ints, column j low and column j + LANES high in int j), widened to float exactly.
 *
 * <p>A few rows (decode) run kernels that widen in registers as they stream the panel: the panel
 * is read once from memory at half the bytes of F32. Six rows or more widen the panel once into a
 * per-thread float scratch and run {@link Gemm}'s float tiles on it: the conversion is then paid
 * once per panel and row chunk instead of once per tile. Either way every output element is the
 * same FMA chain over k as with the widened weights packed in F32, so the bits are those of F32.
 */
final class HalfPanels {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;  // Gemm.S's shape
    /**
     * The 1- and 2-row BF16 kernels load one int this many ints (256 bytes, 4 cache lines) ahead of
     * the panel row they widen. One thread streaming BF16 from memory (CPU time, best of 14 passes
     * over 512 MB) read 14 GB/s without it and 28 with it, as fast as F32's kernel with twice the
     * bytes per FMA (26-28, which gains nothing from it); 512 bytes ahead gave 26, 1-2 KiB 20-22.
     * F16's conversion is the bottleneck instead: 20.5 GB/s without, 18.8 at 256 bytes, 14 at 1 KiB.
     */
    private static final int AHEAD = 64;
    /** Where the loads ahead go, so that the JIT keeps them. */
    @SuppressWarnings("unused")
    private static int touched;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private HalfPanels() {
    }

    /**
     * Rows [row0, rowEnd) of panel {@code panel} of an F16 matrix into c, in tiles of 2 rows and one
     * of 1, with {@link Gemm}'s tile contract (accumulators from {@code init}, one FMA per k in
     * ascending order).
     */
    static void tilesF16(float[] a, int k, PackedMatrix w, int panel, int row0, int rowEnd, float[] c, int cAt, int ldc,
                         float[] init, int initAt, int initStride) {
        int bBase = panel * k * LANES;
        int row = row0;
        for (; row + 2 <= rowEnd; row += 2, cAt += 2 * ldc, initAt += 2 * initStride) {
            tile2(a, row * k, k, w.halves, bBase, false, c, cAt, ldc, init, initAt, initStride);
        }
        if (row < rowEnd) {
            tile1(a, row * k, k, w.halves, bBase, false, c, cAt, init, initAt);
        }
    }

    /** Panel {@code panel} of a BF16/F16 matrix widened into this thread's scratch, [k][PANEL] from index 0. */
    static float[] widen(PackedMatrix w, int panel) {
        int k = w.k();
        float[][] holder = SCRATCH.get();
        if (holder[0].length < k * PANEL) {
            holder[0] = new float[k * PANEL];
        }
        float[] out = holder[0];
        int[] b = w.halves;
        boolean bf16 = w.precision() == Precision.BF16;
        for (int kk = 0, bo = panel * k * LANES, o = 0; kk < k; kk++, bo += LANES, o += PANEL) {
            IntVector v = IntVector.fromArray(I, b, bo);
            (bf16 ? bf16Low(v) : f16Low(v)).intoArray(out, o);
            (bf16 ? bf16High(v) : f16High(v)).intoArray(out, o + LANES);
        }
        return out;
    }

    /** Six rows of a BF16 panel; see {@link Gemm#tiles}. */
    static void tile6(float[] a, int aAt, int k, int[] b, int bBase, float[] c, int cAt, int ldc,
                      float[] init, int initAt, int initStride) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        FloatVector c10 = FloatVector.fromArray(S, init, initAt + initStride);
        FloatVector c11 = FloatVector.fromArray(S, init, initAt + initStride + LANES);
        FloatVector c20 = FloatVector.fromArray(S, init, initAt + 2 * initStride);
        FloatVector c21 = FloatVector.fromArray(S, init, initAt + 2 * initStride + LANES);
        FloatVector c30 = FloatVector.fromArray(S, init, initAt + 3 * initStride);
        FloatVector c31 = FloatVector.fromArray(S, init, initAt + 3 * initStride + LANES);
        FloatVector c40 = FloatVector.fromArray(S, init, initAt + 4 * initStride);
        FloatVector c41 = FloatVector.fromArray(S, init, initAt + 4 * initStride + LANES);
        FloatVector c50 = FloatVector.fromArray(S, init, initAt + 5 * initStride);
        FloatVector c51 = FloatVector.fromArray(S, init, initAt + 5 * initStride + LANES);
        int a1 = aAt + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int a4 = a3 + k;
        int a5 = a4 + k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += LANES) {
            IntVector v = IntVector.fromArray(I, b, bo);
            FloatVector b0 = bf16Low(v);
            FloatVector b1 = bf16High(v);
            FloatVector x = FloatVector.broadcast(S, a[aAt + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + kk]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + kk]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        c10.intoArray(c, cAt + ldc);
        c11.intoArray(c, cAt + ldc + LANES);
        c20.intoArray(c, cAt + 2 * ldc);
        c21.intoArray(c, cAt + 2 * ldc + LANES);
        c30.intoArray(c, cAt + 3 * ldc);
        c31.intoArray(c, cAt + 3 * ldc + LANES);
        c40.intoArray(c, cAt + 4 * ldc);
        c41.intoArray(c, cAt + 4 * ldc + LANES);
        c50.intoArray(c, cAt + 5 * ldc);
        c51.intoArray(c, cAt + 5 * ldc + LANES);
    }

    /** Four rows of a BF16 panel; see {@link Gemm#tiles}. */
    static void tile4(float[] a, int aAt, int k, int[] b, int bBase, float[] c, int cAt, int ldc,
                      float[] init, int initAt, int initStride) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        FloatVector c10 = FloatVector.fromArray(S, init, initAt + initStride);
        FloatVector c11 = FloatVector.fromArray(S, init, initAt + initStride + LANES);
        FloatVector c20 = FloatVector.fromArray(S, init, initAt + 2 * initStride);
        FloatVector c21 = FloatVector.fromArray(S, init, initAt + 2 * initStride + LANES);
        FloatVector c30 = FloatVector.fromArray(S, init, initAt + 3 * initStride);
        FloatVector c31 = FloatVector.fromArray(S, init, initAt + 3 * initStride + LANES);
        int a1 = aAt + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += LANES) {
            IntVector v = IntVector.fromArray(I, b, bo);
            FloatVector b0 = bf16Low(v);
            FloatVector b1 = bf16High(v);
            FloatVector x = FloatVector.broadcast(S, a[aAt + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        c10.intoArray(c, cAt + ldc);
        c11.intoArray(c, cAt + ldc + LANES);
        c20.intoArray(c, cAt + 2 * ldc);
        c21.intoArray(c, cAt + 2 * ldc + LANES);
        c30.intoArray(c, cAt + 3 * ldc);
        c31.intoArray(c, cAt + 3 * ldc + LANES);
    }

    /** Two rows; see {@link Gemm#tiles}. The precision test is loop-invariant: the JIT unswitches it. */
    static void tile2(float[] a, int aAt, int k, int[] b, int bBase, boolean bf16, float[] c, int cAt, int ldc,
                              float[] init, int initAt, int initStride) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        FloatVector c10 = FloatVector.fromArray(S, init, initAt + initStride);
        FloatVector c11 = FloatVector.fromArray(S, init, initAt + initStride + LANES);
        int a1 = aAt + k;
        int last = b.length - 1;
        int ahead = bf16 ? AHEAD : 0;
        int touch = 0;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += LANES) {
            touch += b[Math.min(bo + ahead, last)];
            IntVector v = IntVector.fromArray(I, b, bo);
            FloatVector b0 = bf16 ? bf16Low(v) : f16Low(v);
            FloatVector b1 = bf16 ? bf16High(v) : f16High(v);
            FloatVector x = FloatVector.broadcast(S, a[aAt + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        c10.intoArray(c, cAt + ldc);
        c11.intoArray(c, cAt + ldc + LANES);
        touched = touch;
    }

    /** One row; see {@link Gemm#tiles}. */
    static void tile1(float[] a, int aAt, int k, int[] b, int bBase, boolean bf16, float[] c, int cAt,
                              float[] init, int initAt) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        int last = b.length - 1;
        int ahead = bf16 ? AHEAD : 0;
        int touch = 0;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += LANES) {
            touch += b[Math.min(bo + ahead, last)];
            IntVector v = IntVector.fromArray(I, b, bo);
            FloatVector x = FloatVector.broadcast(S, a[aAt + kk]);
            c00 = x.fma(bf16 ? bf16Low(v) : f16Low(v), c00);
            c01 = x.fma(bf16 ? bf16High(v) : f16High(v), c01);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        touched = touch;
    }

    /** The BF16 values in the low halves of v's lanes: a bfloat16 is the upper half of its float. */
    static FloatVector bf16Low(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static FloatVector bf16High(IntVector v) {
        return v.and(0xFFFF0000).reinterpretAsFloats();
    }

    /** The F16 values in the low halves of v's lanes. */
    static FloatVector f16Low(IntVector v) {
        return f16(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000));
    }

    static FloatVector f16High(IntVector v) {
        return f16(v.lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000));
    }

    /**
     * Floats from F16 bits placed as a float's: sign at bit 31, exponent and mantissa at bits 27–13
     * (the exponent 112 short of a float's bias). Times 2^112 that is the value, exactly, for zeros,
     * subnormals and normals (the JVM does not flush subnormals). Exponent 31 (±∞, NaN) becomes 255
     * first, the mantissa kept: ±∞ times 2^112 stays ±∞, and the multiply quiets a signalling NaN as
     * {@link Float#float16ToFloat} does. The Vector API of JDK 25 has no F16 conversion
     * ({@code VectorOperators.S2F} converts a short's integer value).
     */
    private static FloatVector f16(IntVector x) {
        VectorMask<Integer> special = x.and(0x0F800000).eq(0x0F800000);
        return x.lanewise(VectorOperators.OR, 0x7F800000, special).reinterpretAsFloats().mul(0x1p112f);
    }
}
