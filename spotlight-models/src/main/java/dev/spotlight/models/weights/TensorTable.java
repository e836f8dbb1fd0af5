package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Weights backed by {@link StoredTensor}s whose bytes live in one {@link Arena} (mapped files or a
 * heap array). Closing the arena unmaps every file at once; reads after that fail fast instead of
 * touching unmapped memory.
 */
class TensorTable implements Weights {
    private final String source;
    private final SortedMap<String, StoredTensor> tensors;
    private final Arena arena;

    TensorTable(String source, Map<String, StoredTensor> tensors, Arena arena) {
        this.source = source;
        this.tensors = Collections.unmodifiableSortedMap(new TreeMap<>(tensors));
        this.arena = arena;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public long[] shape(String name) {
        return tensor(name).shape().clone();
    }

    @Override
    public DType dtype(String name) {
        return tensor(name).dtype();
    }

    @Override
    public float[] floats(String name, long... expectedShape) {
        return checked(name, expectedShape).toFloats();
    }

    @Override
    public Optional<Stored> stored(String name, long... expectedShape) {
        StoredTensor t = checked(name, expectedShape);
        return t.transposed() ? Optional.empty() : Optional.of(new Stored(t.dtype(), t.bytes()));
    }

    private StoredTensor checked(String name, long... expectedShape) {
        StoredTensor t = tensor(name);
        if (expectedShape.length > 0 && !Arrays.equals(expectedShape, t.shape())) {
            throw new ModelFormatException(t.file() + ": tensor '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expectedShape));
        }
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("weights from " + source + " are closed");
        }
        return t;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    StoredTensor tensor(String name) {
        StoredTensor t = tensors.get(name);
        if (t == null) {
            List<String> near = ClosestNames.near(name, tensors.keySet());
            throw new ModelFormatException(source + ": no tensor '" + name + "' among " + tensors.size()
                    + " tensors" + (near.isEmpty() ? "" : "; closest names: " + String.join(", ", near)));
        }
        return t;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + source + ", " + tensors.size() + " tensors]";
    }
}
