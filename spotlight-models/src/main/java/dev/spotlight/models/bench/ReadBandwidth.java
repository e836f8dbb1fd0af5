package dev.spotlight.models.bench;

import dev.spotlight.tensor.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's memory read bandwidth as a decoder's weights see it: a vectorised streaming sum over
 * a buffer many times larger than the last-level cache, split into one contiguous part per worker
 * thread, best of several passes. A decode step reads every weight matrix once in the same way, so
 * bytes of weights ÷ this bandwidth is the fastest a decode step can be.
 *
 * <p>Kept here for the decoder benchmark until {@code dev.spotlight.tensor.bench.MemoryBandwidth}
 * (being added separately) replaces it.
 */
public final class ReadBandwidth {
    /** 16× the 32 MB L3 of the project's machine: nothing useful survives in cache between passes. */
    public static final long DEFAULT_BYTES = 512L << 20;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int UNROLL = 4;

    private ReadBandwidth() {
    }

    /** Bytes per second read by {@link Parallel#threads()} threads: the best of {@code passes} after one untimed pass. */
    public static double bytesPerSecond(long bytes, int passes) {
        int threads = Parallel.threads();
        long step = (long) F.vectorByteSize() * UNROLL * threads;
        long size = Math.max(step, bytes / step * step);
        try (Arena arena = Arena.ofShared()) {  // read by the worker threads
            MemorySegment buffer = arena.allocate(size, 64);  // zeroed, so every page is touched before timing
            long part = size / threads;
            float[] sums = new float[threads];
            double best = 0;
            for (int pass = 0; pass <= passes; pass++) {
                long start = System.nanoTime();
                Parallel.forRange(threads, t -> sums[t] = sum(buffer.asSlice(t * part, part)));
                double seconds = (System.nanoTime() - start) / 1e9;
                if (pass > 0) {
                    best = Math.max(best, size / seconds);
                }
            }
            if (!Float.isFinite(sums[0])) {
                throw new IllegalStateException("the bandwidth sum is " + sums[0]);  // keeps the sums alive
            }
            return best;
        }
    }

    /** Four independent accumulators, so the add latency never limits the stream. */
    private static float sum(MemorySegment part) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        long v = F.vectorByteSize();
        ByteOrder order = ByteOrder.nativeOrder();
        for (long i = 0; i < part.byteSize(); i += UNROLL * v) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, part, i, order));
            a1 = a1.add(FloatVector.fromMemorySegment(F, part, i + v, order));
            a2 = a2.add(FloatVector.fromMemorySegment(F, part, i + 2 * v, order));
            a3 = a3.add(FloatVector.fromMemorySegment(F, part, i + 3 * v, order));
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }
}
