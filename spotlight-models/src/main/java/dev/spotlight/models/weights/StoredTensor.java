package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One tensor as found in a file: its little-endian bytes (a slice of a mapped file or of a heap
 * array) and the PyTorch shape it presents. {@code transposed} marks an ONNX dense matrix stored
 * {@code [in, out]} whose PyTorch shape is {@code [out, in]}: the transpose happens on read, so the
 * file is never copied.
 */
record StoredTensor(String name, String file, DType dtype, long[] shape, MemorySegment bytes, boolean transposed) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Largest float[] the JVM hands out. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    float[] toFloats() {
        if (!dtype.convertsToFloat()) {
            throw new ModelFormatException(file + ": tensor '" + name + "' is " + dtype
                    + ", expected a floating type (F32, F16, BF16 or F64)");
        }
        long count = Shapes.elementCount(shape, file + ": tensor '" + name + "'");
        if (count > MAX_ARRAY) {
            throw new ModelFormatException(file + ": tensor '" + name + "' has " + count
                    + " elements, more than one Java array holds (" + MAX_ARRAY + ")");
        }
        int n = (int) count;
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(bytes, F32, 0, out, 0, n);
            case F16 -> {
                short[] raw = new short[n];
                MemorySegment.copy(bytes, I16, 0, raw, 0, n);
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(raw[i]);
                }
            }
            case BF16 -> {
                short[] raw = new short[n];
                MemorySegment.copy(bytes, I16, 0, raw, 0, n);
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((raw[i] & 0xFFFF) << 16);
                }
            }
            case F64 -> {
                double[] raw = new double[n];
                MemorySegment.copy(bytes, F64, 0, raw, 0, n);
                for (int i = 0; i < n; i++) {
                    out[i] = (float) raw[i];
                }
            }
            default -> throw new IllegalStateException(dtype.name());
        }
        return transposed ? transpose(out, (int) shape[0], (int) shape[1]) : out;
    }

    /** {@code stored} is [cols=in, rows=out] row-major; the result is [rows, cols]. */
    private static float[] transpose(float[] stored, int rows, int cols) {
        float[] out = new float[stored.length];
        for (int i = 0; i < cols; i++) {
            int from = i * rows;
            for (int o = 0; o < rows; o++) {
                out[o * cols + i] = stored[from + o];
            }
        }
        return out;
    }
}
