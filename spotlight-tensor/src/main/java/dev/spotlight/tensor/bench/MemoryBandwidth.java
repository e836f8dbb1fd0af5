package dev.spotlight.tensor.bench;

import dev.spotlight.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's memory read bandwidth as a decode step meets it: a vectorised sum streamed over an
 * array far larger than the caches, split over {@link Parallel#threads()} threads the way
 * {@link dev.spotlight.tensor.kernels.Gemm} splits a single row's weight panels (contiguous parts
 * claimed one at a time). The yardstick for "the product reads its weights at N% of the memory's
 * speed" in {@code spotlight bench gemm}. Holds its buffer until dropped.
 */
public final class MemoryBandwidth {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Parts of the array one pass splits among the threads (4 MiB each for 256 MiB). */
    private static final int PARTS = 64;
    /**
     * Each step (4 vectors) also loads two floats, this far ahead (256 bytes) and two vectors
     * further: on this machine kind a single thread
     * then read ~26 GB/s instead of ~24, two threads ~27 instead of ~19-25 (best of 14 passes). The
     * yardstick should be the fastest plain read we know, not a slow one.
     */
    private static final int AHEAD = 64;
    /** Keeps the sums alive, so the JIT cannot drop the reads. */
    private static volatile float sink;

    private final float[] data;
    private final float[] partSums = new float[PARTS];

    /**
     * Allocates and touches {@code bytes} of memory, then reads them once untimed (page faults,
     * compilation).
     *
     * @param bytes at least 1 MiB and at most 8 GiB; use several times the last-level cache
     */
    public MemoryBandwidth(long bytes) {
        if (bytes < (1 << 20) || bytes > (8L << 30)) {
            throw new IllegalArgumentException("bandwidth buffer of " + bytes + " bytes, expected 1 MiB to 8 GiB");
        }
        int step = PARTS * 4 * S.length();
        data = new float[(int) (bytes / Float.BYTES / step * step)];
        for (int i = 0; i < data.length; i += 1024) {
            data[i] = 1;  // fault the pages in
        }
        // Compile the sum first on a cached slice: in a fresh JVM the few passes of a measurement
        // otherwise ran in the interpreter or C1 and read 16-18 GB/s where the compiled loop reads ~50.
        int warm = Math.min(data.length, 1 << 18);
        for (int i = 0; i < 4000; i++) {
            sink = sum(data, 0, warm);
        }
        readBytesPerSecond();
    }

    /** Bytes one pass reads. */
    public long bytes() {
        return (long) data.length * Float.BYTES;
    }

    /** Bytes per second of one timed pass over the whole buffer. */
    public double readBytesPerSecond() {
        int part = data.length / PARTS;
        long start = System.nanoTime();
        Parallel.forRange(PARTS, p -> partSums[p] = sum(data, p * part, (p + 1) * part));
        long nanos = System.nanoTime() - start;
        float total = 0;
        for (float s : partSums) {
            total += s;
        }
        sink = total;
        return (double) data.length * Float.BYTES / (nanos * 1e-9);
    }

    /** Bytes per second of the fastest of {@code passes} timed passes over the whole buffer. */
    public double bestOf(int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be >= 1, found " + passes);
        }
        double best = 0;
        for (int p = 0; p < passes; p++) {
            best = Math.max(best, readBytesPerSecond());
        }
        return best;
    }

    /** The fastest of {@code repeats} passes over a new buffer of {@code bytes}. */
    public static double readBytesPerSecond(long bytes, int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, found " + repeats);
        }
        return new MemoryBandwidth(bytes).bestOf(repeats);
    }

    /** Sum of data[from, to) (a whole number of 4-vector steps) with four independent chains. */
    private static float sum(float[] data, int from, int to) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int lanes = S.length();
        int last = data.length - 1;
        int ahead = 0;
        for (int i = from; i < to; i += 4 * lanes) {
            ahead += Float.floatToRawIntBits(data[Math.min(i + AHEAD, last)])
                    + Float.floatToRawIntBits(data[Math.min(i + AHEAD + 2 * lanes, last)]);
            s0 = s0.add(FloatVector.fromArray(S, data, i));
            s1 = s1.add(FloatVector.fromArray(S, data, i + lanes));
            s2 = s2.add(FloatVector.fromArray(S, data, i + 2 * lanes));
            s3 = s3.add(FloatVector.fromArray(S, data, i + 3 * lanes));
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD) + (ahead & 1);
    }
}
