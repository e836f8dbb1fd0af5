package dev.spotlight.tensor.kernels;

import java.util.function.Supplier;

/**
 * The work the kernels are handed, counted per calling thread: GEMM rows and multiply-adds,
 * attention scores (query × key pairs per head). Tests use it to prove, without timing, that a
 * batch's cost follows its real tokens and never its padding (docs/ARCHITECTURE.md, invariant 3).
 * Counting is off unless a caller asks for it; then each kernel call adds its sizes once, at entry.
 */
public final class KernelWork {
    private static final ThreadLocal<long[]> ACTIVE = new ThreadLocal<>();

    /**
     * @param gemmRows        rows of A over all products (a product with several matrices counts each)
     * @param multiplyAdds    m · k · n over all products, dense and int8
     * @param attentionScores query-key scores over all sequences and heads
     */
    public record Tally(long gemmRows, long multiplyAdds, long attentionScores) {
        public Tally plus(Tally o) {
            return new Tally(gemmRows + o.gemmRows, multiplyAdds + o.multiplyAdds, attentionScores + o.attentionScores);
        }
    }

    private KernelWork() {
    }

    /** Runs {@code work} on this thread and returns what it handed the kernels, with its result. */
    public static <T> Counted<T> count(Supplier<T> work) {
        long[] tally = new long[3];
        long[] outer = ACTIVE.get();
        ACTIVE.set(tally);
        T result;
        try {
            result = work.get();
        } finally {
            ACTIVE.set(outer);
            if (outer != null) {
                for (int i = 0; i < 3; i++) {
                    outer[i] += tally[i];
                }
            }
        }
        return new Counted<>(result, new Tally(tally[0], tally[1], tally[2]));
    }

    /** A result and the kernel work that produced it. */
    public record Counted<T>(T result, Tally work) {
    }

    static void gemm(int m, int k, long nTotal, int matrices) {
        long[] t = ACTIVE.get();
        if (t != null) {
            t[0] += (long) m * matrices;
            t[1] += (long) m * k * nTotal;
        }
    }

    static void attention(AttentionRequest r) {
        long[] t = ACTIVE.get();
        if (t != null) {
            long scores = 0;
            for (int s = 0; s + 1 < r.cuSeqLensQ().length; s++) {
                scores += (long) (r.cuSeqLensQ()[s + 1] - r.cuSeqLensQ()[s]) * (r.cuSeqLensK()[s + 1] - r.cuSeqLensK()[s]);
            }
            t[2] += scores * r.qHeads();
        }
    }
}
