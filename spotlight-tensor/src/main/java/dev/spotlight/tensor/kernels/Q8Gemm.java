package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code out = x · Wᵀ} for a {@link Q8Matrix} W, with llama2.c {@code runq.c}'s arithmetic to the
 * bit: each row of x is quantized to int8 in groups ({@link #quantize}), each group's dot product is
 * an exact int32 sum, and each output accumulates
 * {@code val += ((float) ival) * wScale * xScale} over the groups in ascending order, in float,
 * with the two multiplications in that order (Java never contracts them into an FMA, as gcc -O3
 * without {@code -march} does not).
 *
 * <p>A group of activations whose max |x| is 0 gets scale 0 and values 0, so it adds exactly +0.0.
 * runq.c divides 0 by 0 there and casts {@code round(NaN)} to int8, which C leaves undefined; x86-64
 * ({@code cvttsd2si}'s 0x80000000, low byte 0; checked with gcc 12 at -O0 and -O3) and AArch64
 * ({@code fcvtzs} gives 0) both make it 0, so the result is the same. Non-finite activations are not supported (runq's result is undefined).
 *
 * <p>Rows and outputs are independent, and threads split the outputs only: results do not depend on
 * the thread count or on how many rows are multiplied together.
 *
 * <p>When the group size is a multiple of the int vector's lane count (16 with AVX-512), a group's
 * int32 sum is taken in vector lanes, which gives the same integer: one row of a 2048 × 2048 matrix,
 * group size 64, one thread, went from 3.7 ms to 0.43 ms (1.1 → 9.8 GB/s of int8 weights; a
 * throwaway single-file benchmark, mean of 300 calls after 200 warm-up calls, on the shared
 * 2-vCPU build machine). Smaller groups (stories260K's 4) stay scalar: 0.5 GB/s.
 */
public final class Q8Gemm {
    /** runq.c's {@code Q_MAX}: the int8 range used is [-127, 127]. */
    private static final float Q_MAX = 127.0f;
    /**
     * The fewest int8 multiply-adds a parallel task gets (about 50 µs of scalar work). Handing a
     * stories260K-sized product (64 × 64, one row) to a second thread cost ten times its own
     * time on a loaded 2-vCPU machine: RunqReferenceTest took 35 s on 2 threads and 3.9 s on 1.
     */
    private static final long MIN_TASK_MACS = 1 << 16;
    /** int32 lanes of a group's dot product; its int8 operands are widened from bytes of the same lane count. */
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> BYTES = INTS.length() >= 8
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(INTS.length() * 8)) : null;

    private Q8Gemm() {
    }

    /**
     * @param x   [m, w.cols()] row-major activations
     * @param out [m, w.rows()] row-major; written, never read
     */
    public static void matmul(float[] x, int m, Q8Matrix w, float[] out) {
        int in = w.cols();
        int outs = w.rows();
        if (m < 1) {
            throw new IllegalArgumentException("m must be >= 1, found " + m);
        }
        KernelWork.gemm(m, in, outs, 1);
        if (x.length < (long) m * in) {
            throw new IllegalArgumentException("x holds " + x.length + " floats, expected m " + m + " × in " + in);
        }
        if (out.length < (long) m * outs) {
            throw new IllegalArgumentException("out holds " + out.length + " floats, expected m " + m + " × out " + outs);
        }
        int gs = w.groupSize();
        int groups = in / gs;
        byte[] xq = new byte[m * in];        // [m, in]
        float[] xs = new float[m * groups];  // [m, groups]
        for (int r = 0; r < m; r++) {
            quantize(x, r * in, in, gs, xq, r * in, xs, r * groups);
        }
        int perTask = (int) Math.min(outs, Math.max(1, MIN_TASK_MACS / ((long) m * in)));
        int tasks = (outs + perTask - 1) / perTask;
        Parallel.forRange(tasks, t -> {
            int end = Math.min(outs, (t + 1) * perTask);
            for (int o = t * perTask; o < end; o++) {
                for (int r = 0; r < m; r++) {
                    out[r * outs + o] = dot(xq, xs, r, w, o);
                }
            }
        });
    }

    /** One output of runq.c's {@code matmul}: row {@code r} of the quantized x against row {@code o} of W. */
    private static float dot(byte[] xq, float[] xs, int r, Q8Matrix w, int o) {
        return BYTES != null && w.groupSize() % INTS.length() == 0 ? dotVector(xq, xs, r, w, o) : dotScalar(xq, xs, r, w, o);
    }

    /**
     * {@link #dotScalar} with each group's int32 sum taken in vector lanes: integer addition is
     * exact in any order, so the bits are the same, and the float accumulation stays one scalar
     * chain over the groups in ascending order.
     */
    private static float dotVector(byte[] xq, float[] xs, int r, Q8Matrix w, int o) {
        int in = w.cols();
        int gs = w.groupSize();
        int groups = in / gs;
        byte[] wq = w.values;
        float[] ws = w.scales;
        int xBase = r * in;
        int wBase = o * in;
        float val = 0.0f;
        for (int g = 0; g < groups; g++) {
            int j = g * gs;
            IntVector acc = IntVector.zero(INTS);
            for (int k = 0; k < gs; k += INTS.length()) {
                IntVector xv = (IntVector) ByteVector.fromArray(BYTES, xq, xBase + j + k).convertShape(VectorOperators.B2I, INTS, 0);
                IntVector wv = (IntVector) ByteVector.fromArray(BYTES, wq, wBase + j + k).convertShape(VectorOperators.B2I, INTS, 0);
                acc = acc.add(xv.mul(wv));
            }
            int ival = acc.reduceLanes(VectorOperators.ADD);
            val += ((float) ival) * ws[o * groups + g] * xs[r * groups + g];
        }
        return val;
    }

    private static float dotScalar(byte[] xq, float[] xs, int r, Q8Matrix w, int o) {
        int in = w.cols();
        int gs = w.groupSize();
        int groups = in / gs;
        byte[] wq = w.values;
        float[] ws = w.scales;
        int xBase = r * in;
        int wBase = o * in;
        float val = 0.0f;
        for (int g = 0; g < groups; g++) {
            int ival = 0;
            int j = g * gs;
            for (int k = 0; k < gs; k++) {
                ival += xq[xBase + j + k] * wq[wBase + j + k];
            }
            val += ((float) ival) * ws[o * groups + g] * xs[r * groups + g];
        }
        return val;
    }

    /**
     * runq.c's {@code quantize()} of {@code x[from .. from+n)} in groups of {@code groupSize}:
     * {@code scale = max|x| / 127} in float, {@code q = (int8) round(x / scale)} with C's
     * {@code round} (half away from zero). An all-zero group gets scale 0 and values 0 (see the
     * class comment).
     */
    public static void quantize(float[] x, int from, int n, int groupSize, byte[] q, int qFrom, float[] scales, int sFrom) {
        if (groupSize < 1 || n % groupSize != 0) {
            throw new IllegalArgumentException("group size " + groupSize + " does not divide n " + n);
        }
        for (int g = 0; g < n / groupSize; g++) {
            int base = from + g * groupSize;
            float max = 0.0f;
            for (int i = 0; i < groupSize; i++) {
                float a = Math.abs(x[base + i]);
                if (a > max) {
                    max = a;
                }
            }
            float scale = max / Q_MAX;
            scales[sFrom + g] = scale;
            int qBase = qFrom + g * groupSize;
            for (int i = 0; i < groupSize; i++) {
                q[qBase + i] = scale == 0.0f ? 0 : (byte) roundHalfAwayFromZero(x[base + i] / scale);
            }
        }
    }

    /**
     * C's {@code round()} of a float (promoted to double, as runq.c's call does): ties go away from
     * zero, where {@link Math#round} sends -2.5 to -2. {@code |v| + 0.5} is exact in double for any
     * float from 2⁻²⁹ to 2⁵²; below, the floor is 0 either way.
     */
    static long roundHalfAwayFromZero(float v) {
        double a = Math.floor(Math.abs((double) v) + 0.5);
        return (long) (v < 0 ? -a : a);
    }
}
