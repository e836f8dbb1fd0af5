package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor to write: its element type, shape and little-endian bytes. The factories convert
 * f32 values to the stored type with round-to-nearest-even, as PyTorch's {@code .half()} and
 * {@code .bfloat16()} do.
 */
public record TensorData(DType dtype, long[] shape, byte[] bytes) {

    public TensorData {
        shape = shape.clone();
        long elements = Shapes.elementCount(shape, "tensor to write");
        if (elements * dtype.byteSize() != bytes.length) {
            throw new ModelFormatException("tensor to write: shape " + Arrays.toString(shape) + " of "
                    + dtype + " needs " + elements * dtype.byteSize() + " bytes, found " + bytes.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public static TensorData f32(float[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 4);
        b.asFloatBuffer().put(values);
        return new TensorData(DType.F32, shape, b.array());
    }

    public static TensorData f16(float[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 2);
        for (float v : values) {
            b.putShort(Float.floatToFloat16(v));
        }
        return new TensorData(DType.F16, shape, b.array());
    }

    public static TensorData bf16(float[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 2);
        for (float v : values) {
            b.putShort(toBfloat16(v));
        }
        return new TensorData(DType.BF16, shape, b.array());
    }

    public static TensorData f64(double[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 8);
        b.asDoubleBuffer().put(values);
        return new TensorData(DType.F64, shape, b.array());
    }

    public static TensorData i64(long[] values, long... shape) {
        ByteBuffer b = buffer(values.length, 8);
        b.asLongBuffer().put(values);
        return new TensorData(DType.I64, shape, b.array());
    }

    /** bf16 is the top half of an f32; rounding to nearest even keeps the error below half an ulp. */
    static short toBfloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x0040);  // keep it a (quiet) NaN after truncation
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    private static ByteBuffer buffer(int count, int size) {
        return ByteBuffer.allocate(Math.multiplyExact(count, size)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
