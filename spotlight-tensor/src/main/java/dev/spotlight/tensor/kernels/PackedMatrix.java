package dev.spotlight.tensor.kernels;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix W [k, n] laid out once, at load, for {@link Gemm}: column panels of
 * {@link Gemm#PANEL} columns, each panel holding its k rows back to back, so the kernel's inner loop
 * reads W strictly sequentially. The last panel is zero-padded to full width.
 *
 * <p>Weights keep the precision they are stored in ({@link Precision}): a BF16 or F16 matrix takes
 * two bytes per weight, and the products widen them to float in registers. A BF16/F16 panel row
 * holds its {@code 2·LANES} columns as {@code LANES} ints, column j in the low half and column
 * {@code j + LANES} in the high half of int j, so that one shift (low) and one AND (high) make the
 * two float vectors of the row, with no shuffle.
 */
public final class PackedMatrix {
    private final int k;
    private final int n;
    private final Precision precision;
    final float[] data;   // F32: [panels][k][PANEL]
    final int[] halves;   // BF16, F16: [panels][k][LANES], int j = column j | column j + LANES << 16

    PackedMatrix(int k, int n, Precision precision, float[] data, int[] halves) {
        this.k = k;
        this.n = n;
        this.precision = precision;
        this.data = data;
        this.halves = halves;
    }

    /** Packs {@code w}, row-major [k, n] (used as {@code x · W}). */
    public static PackedMatrix pack(float[] w, int k, int n) {
        check(w, k, n);
        int panels = panels(n);
        float[] data = new float[panels * k * Gemm.PANEL];
        for (int p = 0; p < panels; p++) {
            int base = p * k * Gemm.PANEL;
            int cols = Math.min(Gemm.PANEL, n - p * Gemm.PANEL);
            for (int kk = 0; kk < k; kk++) {
                System.arraycopy(w, kk * n + p * Gemm.PANEL, data, base + kk * Gemm.PANEL, cols);
            }
        }
        return new PackedMatrix(k, n, Precision.F32, data, null);
    }

    /** Packs {@code w} given as [n, k], PyTorch's {@code nn.Linear.weight} layout (used as {@code x · Wᵀ}). */
    public static PackedMatrix packTransposed(float[] w, int n, int k) {
        check(w, k, n);
        int panels = panels(n);
        float[] data = new float[panels * k * Gemm.PANEL];
        for (int col = 0; col < n; col++) {
            int p = col / Gemm.PANEL;
            int j = col % Gemm.PANEL;
            int base = p * k * Gemm.PANEL + j;
            for (int kk = 0; kk < k; kk++) {
                data[base + kk * Gemm.PANEL] = w[col * k + kk];
            }
        }
        return new PackedMatrix(k, n, Precision.F32, data, null);
    }

    /**
     * Packs the stored bytes of W [k, n], row-major and little-endian (a safetensors tensor, GPT-2's
     * Conv1D {@code [in, out]} weight), used as {@code x · W}, keeping {@code precision}. The
     * segment is usually a slice of a memory-mapped file; it is read once, by all threads when
     * every thread may access it.
     *
     * @throws IllegalArgumentException if the segment does not hold exactly k·n elements
     */
    public static PackedMatrix pack(MemorySegment src, Precision precision, int k, int n) {
        SegmentPacking.check(src, precision, k, n, "[k, n]");
        return SegmentPacking.pack(src, precision, k, n);
    }

    /**
     * Packs the stored bytes of W given as [n, k], row-major and little-endian (PyTorch's
     * {@code nn.Linear.weight} {@code [out, in]}), used as {@code x · Wᵀ}, keeping {@code precision}.
     *
     * @throws IllegalArgumentException if the segment does not hold exactly n·k elements
     */
    public static PackedMatrix packTransposed(MemorySegment src, Precision precision, int n, int k) {
        SegmentPacking.check(src, precision, k, n, "[n, k]");
        return SegmentPacking.packTransposed(src, precision, n, k);
    }

    /** Rows of W: the length of the vectors it multiplies. */
    public int k() {
        return k;
    }

    /** Columns of W: the length of the products. */
    public int n() {
        return n;
    }

    public Precision precision() {
        return precision;
    }

    /** Bytes of weights held, the zero padding of the last panel included. */
    public long bytes() {
        return data != null ? 4L * data.length : 4L * halves.length;
    }

    /**
     * Writes column j of W (k values, widened to float exactly) to {@code out[at, at + k)}: with an
     * embedding matrix packed as the tied LM head (k = hidden, n = vocabulary), the embedding of
     * token j.
     */
    public void column(int j, float[] out, int at) {
        if (j < 0 || j >= n) {
            throw new IndexOutOfBoundsException("column " + j + " of a matrix with n = " + n);
        }
        if (at < 0 || at > out.length - k) {
            throw new IndexOutOfBoundsException("column of " + k + " values at " + at + " of an array of " + out.length);
        }
        int p = j / Gemm.PANEL;
        int jj = j % Gemm.PANEL;
        if (data != null) {
            for (int kk = 0, i = p * k * Gemm.PANEL + jj; kk < k; kk++, i += Gemm.PANEL) {
                out[at + kk] = data[i];
            }
            return;
        }
        int shift = jj < Gemm.LANES ? 0 : 16;
        boolean bf16 = precision == Precision.BF16;
        for (int kk = 0, i = p * k * Gemm.LANES + jj % Gemm.LANES; kk < k; kk++, i += Gemm.LANES) {
            int bits = halves[i] >>> shift & 0xFFFF;
            out[at + kk] = bf16 ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat((short) bits);
        }
    }

    int panels() {
        return panels(n);
    }

    static int panels(int n) {
        return (n + Gemm.PANEL - 1) / Gemm.PANEL;
    }

    private static void check(float[] w, int k, int n) {
        checkShape(k, n);
        if (w.length != (long) k * n) {
            throw new IllegalArgumentException("matrix of " + w.length + " floats, expected k*n = " + k + "*" + n);
        }
    }

    static void checkShape(int k, int n) {
        if (k <= 0 || n <= 0) {
            throw new IllegalArgumentException("matrix dimensions must be positive, found k=" + k + ", n=" + n);
        }
    }
}
