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
 * speed" in {@code spotlight bench gemm}.
 */
public final class MemoryBandwidth {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Parts of the array one measurement splits among the threads (8 MiB each for 512 MiB). */
    private static final int PARTS = 64;
    /** Keeps the sums alive, so the JIT cannot drop the reads. */
    private static volatile float sink;

    private MemoryBandwidth() {
    }

    /**
     * Bytes per second of the fastest of {@code repeats} streaming reads of {@code bytes} bytes, after
     * one untimed pass (page faults, compilation).
     *
     * @param bytes   at least 1 MiB and at most 8 GiB; use several times the last-level cache
     * @param repeats at least 1
     */
    public static double readBytesPerSecond(long bytes, int repeats) {
        if (bytes < (1 << 20) || bytes > (8L << 30)) {
            throw new IllegalArgumentException("bandwidth buffer of " + bytes + " bytes, expected 1 MiB to 8 GiB");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, found " + repeats);
        }
        int length = (int) (bytes / Float.BYTES / (PARTS * 4 * S.length()) * (PARTS * 4 * S.length()));
        float[] data = new float[length];
        for (int i = 0; i < length; i += 1024) {
            data[i] = 1;  // fault the pages in before timing
        }
        int part = length / PARTS;
        float[] partSums = new float[PARTS];
        double best = 0;
        for (int r = 0; r <= repeats; r++) {
            long start = System.nanoTime();
            Parallel.forRange(PARTS, p -> partSums[p] = sum(data, p * part, (p + 1) * part));
            long nanos = System.nanoTime() - start;
            float total = 0;
            for (float s : partSums) {
                total += s;
            }
            sink = total;
            if (r > 0) {
                best = Math.max(best, (double) length * Float.BYTES / (nanos * 1e-9));
            }
        }
        return best;
    }

    /** Sum of data[from, to) (a whole number of 4-vector steps) with four independent chains. */
    private static float sum(float[] data, int from, int to) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int lanes = S.length();
        for (int i = from; i < to; i += 4 * lanes) {
            s0 = s0.add(FloatVector.fromArray(S, data, i));
            s1 = s1.add(FloatVector.fromArray(S, data, i + lanes));
            s2 = s2.add(FloatVector.fromArray(S, data, i + 2 * lanes));
            s3 = s3.add(FloatVector.fromArray(S, data, i + 3 * lanes));
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }
}
