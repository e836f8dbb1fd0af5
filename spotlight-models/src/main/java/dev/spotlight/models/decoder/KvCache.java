package dev.spotlight.models.decoder;

import dev.spotlight.models.ModelException;
import dev.spotlight.tensor.kernels.AttentionRequest;
import java.util.List;
import java.util.Locale;

/**
 * The keys and values a decoder has computed, per sequence: one {@link Slot} per sequence, holding
 * for every layer a block of keys (already rotated) stored transposed, [kvHeads, headDim, capacity],
 * the layout the attention kernel computes scores from, and a block [kvHeads, capacity, headDim] of
 * values (see {@link AttentionRequest.CachedKeysValues}).
 * A slot grows in blocks of {@link #BLOCK} positions as its sequence does, and its memory is released
 * when the sequence finishes ({@link Slot#close}), so a batch's cache follows its live sequences.
 *
 * <p>Every allocation is checked against a byte budget first: a request that would not fit fails with
 * the size it needs, never with an {@link OutOfMemoryError} halfway through a generation. Thread-safe.
 */
public final class KvCache {
    /**
     * Positions a slot grows by at least; keeps growth copies rare (each doubles at most). Also the
     * kernel's alignment of a capacity, so every capacity is a multiple of it.
     */
    static final int BLOCK = AttentionRequest.CachedKeysValues.ALIGNMENT;

    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final int maxPositions;
    private final long budgetBytes;
    private long reservedBytes;

    /**
     * @param maxPositions the model's context: no slot grows beyond it
     * @param budgetBytes  the most bytes all slots together may hold
     */
    public KvCache(int layers, int kvHeads, int headDim, int maxPositions, long budgetBytes) {
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        this.budgetBytes = budgetBytes;
    }

    /** Bytes of keys and values one position costs over all layers. */
    public long bytesPerPosition() {
        return 2L * layers * kvHeads * headDim * Float.BYTES;
    }

    public synchronized long reservedBytes() {
        return reservedBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** A slot for one sequence, with room for {@code expectedPositions} (grown later if needed). */
    public Slot open(int expectedPositions) {
        Slot slot = new Slot();
        slot.ensure(Math.max(1, expectedPositions));
        return slot;
    }

    /**
     * As {@link #open}, or null when the room does not fit the budget beside what is reserved now
     * (nothing is reserved then): a caller with work in flight can wait for it to free memory.
     */
    public Slot tryOpen(int expectedPositions) {
        Slot slot = new Slot();
        return slot.grow(Math.max(1, expectedPositions), false) ? slot : null;
    }

    /** Bytes a new slot for {@code positions} positions (at most the context) reserves: whole blocks. */
    public long bytesFor(int positions) {
        long grown = Math.min(maxPositions, Math.max(1, positions));
        return Math.ceilDiv(grown, BLOCK) * BLOCK * bytesPerPosition();
    }

    /**
     * Fails unless {@code positions} more positions fit the budget beside what is reserved now: lets a
     * caller refuse a whole generation up front, naming its size, instead of failing midway.
     */
    public void checkFits(long positions, String what) {
        long bytes = positions * bytesPerPosition();
        synchronized (this) {
            if (reservedBytes + bytes > budgetBytes) {
                throw tooLarge(bytes, what);
            }
        }
    }

    private synchronized boolean tryReserve(long bytes) {
        if (reservedBytes + bytes > budgetBytes) {
            return false;
        }
        reservedBytes += bytes;
        return true;
    }

    private synchronized ModelException tooLarge(long bytes, String what) {
        return new ModelException(String.format(Locale.ROOT,
                "the KV cache for %s needs %.1f MB more (%d layers × 2 × %d kv heads × %d dims × 4 bytes = %d bytes per"
                        + " position) but only %.1f MB of its %.1f MB budget are free: generate fewer tokens or sequences"
                        + " at once, or give the JVM more heap (-Xmx)",
                what, bytes / 1e6, layers, kvHeads, headDim, bytesPerPosition(),
                (budgetBytes - reservedBytes) / 1e6, budgetBytes / 1e6));
    }

    private synchronized void release(long bytes) {
        reservedBytes -= bytes;
    }

    /** The attention kernel's view of one layer's blocks for the sequences of a batch. */
    static AttentionRequest.CachedKeysValues view(List<Slot> slots, int layer) {
        float[][] keys = new float[slots.size()][];
        float[][] values = new float[slots.size()][];
        int[] capacity = new int[slots.size()];
        for (int s = 0; s < slots.size(); s++) {
            Slot slot = slots.get(s);
            keys[s] = slot.keys[layer];
            values[s] = slot.values[layer];
            capacity[s] = slot.capacity;
        }
        return new AttentionRequest.CachedKeysValues(keys, values, capacity);
    }

    /** One sequence's keys and values. Not thread-safe: one forward pass at a time uses a slot. */
    public final class Slot implements AutoCloseable {
        private final float[][] keys = new float[layers][];   // [layer] -> [kvHeads, capacity, headDim]
        private final float[][] values = new float[layers][];
        private int capacity;
        private int length;
        private boolean closed;

        /** Positions whose keys and values are cached. */
        public int length() {
            return length;
        }

        public int capacity() {
            return capacity;
        }

        /** Makes room for {@code positions} positions, copying what is cached into larger blocks. */
        void ensure(int positions) {
            grow(positions, true);
        }

        /** As {@link #ensure}; past the budget it fails if {@code required}, else answers false and changes nothing. */
        private boolean grow(int positions, boolean required) {
            if (closed) {
                throw new IllegalStateException("this KV cache slot was closed");
            }
            if (positions > maxPositions) {
                throw new ModelException("a sequence of " + positions + " positions does not fit the model's context of "
                        + maxPositions);
            }
            if (positions <= capacity) {
                return true;
            }
            int grown = Math.min(maxPositions, Math.max(positions, capacity + capacity / 2));
            // whole blocks, so that a capacity is always a multiple of the kernel's alignment
            long blocks = Math.ceilDiv((long) grown, BLOCK) * BLOCK;
            if (blocks > Integer.MAX_VALUE - BLOCK) {
                throw new ModelException("a sequence of " + positions + " positions is more than a KV cache slot can hold");
            }
            int newCapacity = (int) blocks;
            long bytes = (long) (newCapacity - capacity) * bytesPerPosition();
            if (!tryReserve(bytes)) {
                if (required) {
                    throw tooLarge(bytes, "a sequence of " + positions + " positions");
                }
                return false;
            }
            for (int l = 0; l < layers; l++) {
                keys[l] = regrowKeys(keys[l], capacity, newCapacity);
                values[l] = regrowValues(values[l], capacity, newCapacity);
            }
            capacity = newCapacity;
            return true;
        }

        private float[] regrowKeys(float[] old, int oldCapacity, int newCapacity) {
            float[] block = new float[kvHeads * headDim * newCapacity];
            for (int row = 0; old != null && row < kvHeads * headDim; row++) {  // one row per (head, dimension)
                System.arraycopy(old, row * oldCapacity, block, row * newCapacity, length);
            }
            return block;
        }

        private float[] regrowValues(float[] old, int oldCapacity, int newCapacity) {
            float[] block = new float[kvHeads * newCapacity * headDim];
            for (int h = 0; old != null && h < kvHeads; h++) {
                System.arraycopy(old, h * oldCapacity * headDim, block, h * newCapacity * headDim, length * headDim);
            }
            return block;
        }

        /**
         * Writes rows {@code [row0, row0 + rows)} of a head-major [kvHeads, totalRows, headDim] k and v at
         * positions {@code [at, at + rows)} of layer {@code layer}.
         */
        void write(int layer, float[] k, float[] v, int totalRows, int row0, int rows, int at) {
            float[] keysT = keys[layer];
            for (int h = 0; h < kvHeads; h++) {
                int from = (h * totalRows + row0) * headDim;
                System.arraycopy(v, from, values[layer], (h * capacity + at) * headDim, rows * headDim);
                for (int d = 0; d < headDim; d++) {
                    int to = (h * headDim + d) * capacity + at;
                    for (int i = 0; i < rows; i++) {
                        keysT[to + i] = k[from + i * headDim + d];
                    }
                }
            }
        }

        void setLength(int length) {
            this.length = length;
        }

        /** Keys of one layer and kv head, [positions, headDim] (a copy), for inspection and tests. */
        public float[] keys(int layer, int kvHead) {
            float[] out = new float[length * headDim];
            for (int d = 0; d < headDim; d++) {
                int row = (kvHead * headDim + d) * capacity;
                for (int j = 0; j < length; j++) {
                    out[j * headDim + d] = keys[layer][row + j];
                }
            }
            return out;
        }

        /** Frees the slot's memory; the sequence cannot continue afterwards. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release((long) capacity * bytesPerPosition());
                for (int l = 0; l < layers; l++) {
                    keys[l] = null;
                    values[l] = null;
                }
                capacity = 0;
                length = 0;
            }
        }
    }
}
