package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.tensor.kernels.Q8Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.Set;

/**
 * Weights a model computes with: every floating value read is checked to be finite. One NaN or
 * infinite weight makes every output it reaches NaN (NaN embeddings and similarities, a blank
 * viewer, a generation that stops on a NaN logit), so a damaged file is refused at load, naming the
 * tensor and the element, instead. The raw readers stay permissive: converters and tests read any value.
 */
public final class FiniteWeights implements Weights {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Weights weights;

    private FiniteWeights(Weights weights) {
        this.weights = weights;
    }

    public static Weights of(Weights weights) {
        return weights instanceof FiniteWeights ? weights : new FiniteWeights(weights);
    }

    @Override
    public float[] floats(String name, long... expectedShape) {
        float[] values = weights.floats(name, expectedShape);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw damaged(name, Float.toString(values[i]), i, values.length);
            }
        }
        return values;
    }

    @Override
    public Optional<Stored> stored(String name, long... expectedShape) {
        Optional<Stored> stored = weights.stored(name, expectedShape);
        stored.ifPresent(s -> check(name, s));
        return stored;
    }

    private void check(String name, Stored s) {
        MemorySegment bytes = s.bytes();
        long count = bytes.byteSize() / Math.max(1, s.dtype().byteSize());
        for (long i = 0; i < count; i++) {
            boolean finite = switch (s.dtype()) {
                case BF16 -> (bytes.get(I16, 2 * i) & 0x7F80) != 0x7F80;     // exponent all ones: NaN or ±inf
                case F16 -> (bytes.get(I16, 2 * i) & 0x7C00) != 0x7C00;
                case F32 -> Float.isFinite(bytes.get(F32, 4 * i));
                case F64 -> Double.isFinite(bytes.get(F64, 8 * i));
                default -> true;
            };
            if (!finite) {
                throw damaged(name, "NaN or an infinity", i, count);
            }
        }
    }

    private ModelFormatException damaged(String name, String value, long element, long count) {
        return new ModelFormatException(weights.source() + ": tensor " + name + " holds " + value + " at element " + element + " of "
                + count + ": the weights are damaged (every output computed with it would be NaN)");
    }

    @Override
    public Optional<Q8Matrix> quantized(String name) {
        return weights.quantized(name);   // int8 values are finite; their scales are checked where they are read
    }

    @Override
    public Set<String> names() {
        return weights.names();
    }

    @Override
    public boolean contains(String name) {
        return weights.contains(name);
    }

    @Override
    public long[] shape(String name) {
        return weights.shape(name);
    }

    @Override
    public DType dtype(String name) {
        return weights.dtype(name);
    }

    @Override
    public String source() {
        return weights.source();
    }

    @Override
    public void close() {
        weights.close();
    }
}
