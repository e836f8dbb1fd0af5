package dev.spotlight.models.llama2c;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.weights.DType;
import dev.spotlight.models.weights.Weights;

import dev.spotlight.tensor.kernels.Q8Matrix;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * {@link Llama2cCheckpoint#weights()}: the checkpoint's tensors under Hugging Face names, every one
 * F32 (version 2 dequantized on read). Reads go to the checkpoint's mapping; closing this view
 * closes the checkpoint.
 */
final class CheckpointWeights implements Weights {
    private final Llama2cCheckpoint checkpoint;

    CheckpointWeights(Llama2cCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    @Override
    public Set<String> names() {
        return checkpoint.entries().keySet();
    }

    @Override
    public boolean contains(String name) {
        return checkpoint.entries().containsKey(name);
    }

    @Override
    public long[] shape(String name) {
        return checkpoint.entry(name).shape();
    }

    /** F32 for every tensor: what {@link #floats} returns, also for version 2's int8 storage. */
    @Override
    public DType dtype(String name) {
        checkpoint.entry(name);
        return DType.F32;
    }

    @Override
    public float[] floats(String name, long... expectedShape) {
        long[] shape = shape(name);
        if (expectedShape.length > 0 && !Arrays.equals(expectedShape, shape)) {
            throw new ModelFormatException(source() + ": tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected " + Arrays.toString(expectedShape));
        }
        return checkpoint.floats(name);
    }

    /** Version 2's int8 matrices under their HF names (see {@link Llama2cCheckpoint#quantized}). */
    @Override
    public Optional<Q8Matrix> quantized(String name) {
        return checkpoint.quantized(name);
    }

    @Override
    public String source() {
        return checkpoint.path().toString();
    }

    @Override
    public void close() {
        checkpoint.close();
    }

    @Override
    public String toString() {
        return "CheckpointWeights[" + source() + ", " + names().size() + " tensors]";
    }
}
