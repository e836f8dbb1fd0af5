package dev.spotlight.models.weights;

import dev.spotlight.tensor.kernels.Q8Matrix;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.Set;

/**
 * Named tensors with Hugging Face names and PyTorch layouts, whatever file they came from: an
 * ONNX export's anonymous {@code onnx::MatMul_<n>} matrices are renamed and transposed so they
 * look exactly like the {@code model.safetensors} of the same model. {@code nn.Linear.weight} is
 * therefore always {@code [out, in]}.
 *
 * <p>Implementations own mapped or off-heap memory: close them. Arrays returned by
 * {@link #floats} are copies and stay valid after close.
 */
public interface Weights extends AutoCloseable {
    /** All tensor names, sorted. */
    Set<String> names();

    boolean contains(String name);

    /** The PyTorch shape; a {@link dev.spotlight.models.ModelFormatException} names the file,
     * the tensor and the closest existing names when it is missing. */
    long[] shape(String name);

    /** The stored element type (before conversion to f32). */
    DType dtype(String name);

    /**
     * The tensor as f32, row-major, PyTorch layout. When {@code expectedShape} is given it must
     * equal the stored shape, else a {@link dev.spotlight.models.ModelFormatException} says both.
     */
    float[] floats(String name, long... expectedShape);

    /**
     * The tensor's bytes as the file stores them — little-endian, row-major, PyTorch layout — for
     * readers that keep weights in their stored precision instead of widening them to f32. Empty when
     * the file does not hold the tensor in that form (an ONNX matrix kept [in, out]); read it with
     * {@link #floats} then. The segment is valid until {@link #close}. Shapes are checked as in
     * {@link #floats}.
     */
    default Optional<Stored> stored(String name, long... expectedShape) {
        return Optional.empty();
    }

    /**
     * The matrix as int8 values with one scale per group of inputs, when the file stores it that way
     * (a llama2.c version 2 checkpoint), for the int8 matmul that file's arithmetic needs; else empty.
     */
    default Optional<Q8Matrix> quantized(String name) {
        return Optional.empty();
    }

    /** A tensor's stored element type and bytes. */
    record Stored(DType dtype, MemorySegment bytes) {
    }

    /** Where the tensors came from (a file or folder path), for messages. */
    String source();

    /** Releases the mapped memory; later reads throw {@link IllegalStateException}. */
    @Override
    void close();
}
