package dev.spotlight.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A deterministic parallel loop. {@link #forRange} hands index {@code i} to exactly one call of the
 * body, and callers split work only over independent outputs (rows, heads, column panels) — never
 * over a reduction — so results are bitwise identical whatever the thread count.
 * Worker threads are daemon platform threads of one fixed pool.
 */
public final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "spotlight-worker");
        t.setDaemon(true);
        return t;
    });

    private Parallel() {
    }

    public static int threads() {
        return threads;
    }

    /** Sets the number of threads every later loop uses (process-wide); 1 runs on the caller alone. */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + n);
        }
        threads = n;
    }

    /** Runs {@code body.accept(i)} for every i in [0, n), in contiguous chunks, one per thread. */
    public static void forRange(int n, IntConsumer body) {
        int t = Math.min(threads, n);
        if (t <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(t - 1);
        for (int c = 1; c < t; c++) {
            int from = (int) ((long) n * c / t);
            int to = (int) ((long) n * (c + 1) / t);
            futures.add(POOL.submit(() -> {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            }));
        }
        RuntimeException failure = null;
        try {
            for (int i = 0, end = (int) ((long) n / t); i < end; i++) {
                body.accept(i);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for worker threads", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
