package dev.spotlight.tensor.kernels;

import java.util.Arrays;

/**
 * A weight matrix in llama2.c's Q8_0 format ({@code runq.c}, {@code export.py}): int8 values
 * [rows, cols] in PyTorch's {@code nn.Linear} layout ([out, in]), and one float32 scale per group
 * of {@code groupSize} consecutive inputs of a row. Weight {@code (r, c)} is
 * {@code values[r, c] * scales[r, c / groupSize]}. Groups never straddle rows ({@code cols} is a
 * multiple of {@code groupSize}), so a group's int8 dot product in {@link Q8Gemm} is one row's.
 *
 * <p>Immutable: the factories copy what they are given.
 */
public final class Q8Matrix {
    /**
     * The largest group whose int32 dot product cannot overflow, even with the −128 that a file may
     * hold and no quantizer writes: 131,071 × 128 × 128 < 2³¹.
     */
    public static final int MAX_GROUP_SIZE = Integer.MAX_VALUE / (128 * 128);

    private final int rows;
    private final int cols;
    private final int groupSize;
    final byte[] values;  // [rows, cols]
    final float[] scales; // [rows, cols / groupSize]

    private Q8Matrix(int rows, int cols, int groupSize, byte[] values, float[] scales) {
        this.rows = rows;
        this.cols = cols;
        this.groupSize = groupSize;
        this.values = values;
        this.scales = scales;
    }

    /**
     * A matrix from stored values and scales (copied).
     *
     * @param values [rows, cols] row-major
     * @param scales [rows, cols / groupSize] row-major; finite
     */
    public static Q8Matrix of(byte[] values, float[] scales, int rows, int cols, int groupSize) {
        checkShape(rows, cols, groupSize);
        long count = (long) rows * cols;
        if (values.length != count) {
            throw new IllegalArgumentException("Q8 values hold " + values.length + " bytes, expected rows " + rows
                    + " × cols " + cols + " = " + count);
        }
        if (scales.length != count / groupSize) {
            throw new IllegalArgumentException("Q8 scales hold " + scales.length + " floats, expected rows " + rows
                    + " × cols " + cols + " / group size " + groupSize + " = " + count / groupSize);
        }
        for (int i = 0; i < scales.length; i++) {
            if (!Float.isFinite(scales[i])) {
                throw new IllegalArgumentException("Q8 scale " + i + " (row " + i / (cols / groupSize) + ", group "
                        + i % (cols / groupSize) + ") is " + scales[i] + ", expected a finite number");
            }
        }
        return new Q8Matrix(rows, cols, groupSize, values.clone(), scales.clone());
    }

    /**
     * Quantizes {@code w} [rows, cols] as llama2.c's {@code export.py} ({@code quantize_q80}) does:
     * per group, {@code scale = max|w| / 127} in float and {@code q = round(w / scale)} rounding
     * half to even ({@code torch.round}; activations in {@link Q8Gemm} round half away from zero,
     * as C's {@code round} does). A group of zeros gets scale 0 and values 0, where torch divides
     * 0 by 0 and casts NaN to int8.
     */
    public static Q8Matrix quantize(float[] w, int rows, int cols, int groupSize) {
        checkShape(rows, cols, groupSize);
        if (w.length != (long) rows * cols) {
            throw new IllegalArgumentException("w holds " + w.length + " floats, expected rows " + rows
                    + " × cols " + cols + " = " + (long) rows * cols);
        }
        byte[] values = new byte[w.length];
        float[] scales = new float[w.length / groupSize];
        for (int g = 0; g < scales.length; g++) {
            int from = g * groupSize;
            float max = 0f;
            for (int i = from; i < from + groupSize; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            if (!Float.isFinite(max)) {
                throw new IllegalArgumentException("w[" + from + ".." + (from + groupSize - 1)
                        + "] holds a non-finite value, which Q8 cannot represent");
            }
            float scale = max / 127.0f;
            scales[g] = scale;
            for (int i = from; i < from + groupSize && scale != 0f; i++) {
                values[i] = (byte) Math.rint(w[i] / scale);
            }
        }
        return new Q8Matrix(rows, cols, groupSize, values, scales);
    }

    private static void checkShape(int rows, int cols, int groupSize) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("Q8 matrix shape [" + rows + ", " + cols + "] must be positive");
        }
        if (groupSize < 1 || groupSize > MAX_GROUP_SIZE) {
            throw new IllegalArgumentException("Q8 group size " + groupSize + " must be in 1.." + MAX_GROUP_SIZE);
        }
        if (cols % groupSize != 0) {
            throw new IllegalArgumentException("Q8 group size " + groupSize + " does not divide cols " + cols
                    + " (a group must not straddle rows)");
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int groupSize() {
        return groupSize;
    }

    /** The int8 value at (row, col). */
    public byte value(int row, int col) {
        return values[Math.multiplyExact(row, cols) + col];
    }

    /** The scale of group {@code group} (inputs {@code group·groupSize ..}) of {@code row}. */
    public float scale(int row, int group) {
        return scales[row * (cols / groupSize) + group];
    }

    /** All values, a copy: [rows, cols]. */
    public byte[] values() {
        return values.clone();
    }

    /** All scales, a copy: [rows, cols / groupSize]. */
    public float[] scales() {
        return scales.clone();
    }

    /** The weights as float, [rows, cols]: {@code q · scale} in float, as runq.c's {@code dequantize}. */
    public float[] dequantize() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i] * scales[i / groupSize];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Q8Matrix m && rows == m.rows && cols == m.cols && groupSize == m.groupSize
                && Arrays.equals(values, m.values) && Arrays.equals(scales, m.scales);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        return "Q8Matrix[" + rows + " × " + cols + ", group size " + groupSize + "]";
    }
}
