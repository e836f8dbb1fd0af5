package dev.spotlight.tensor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;

/**
 * A deterministic parallel loop. {@link #forRange} hands index {@code i} to exactly one call of the
 * body, and callers split work only over independent outputs (rows, heads, column panels) — never
 * over a reduction — so results are bitwise identical whatever the thread count.
 *
 * <p>Workers are daemon platform threads that spin for a short while after each loop before they
 * park. A transformer's forward pass is hundreds of loops of 0.01–1 ms each; waking a parked thread
 * costs 50–200 µs on a virtual machine whose idle vCPU the hypervisor has halted, which made two
 * threads slower than one for a 128-row GEMM. Spinning is bounded ({@link #SPIN_NANOS}), so an idle
 * process uses no CPU.
 *
 * <p>One loop uses the workers at a time. A loop started while another runs — from a loop body or
 * from a second application thread — runs on its caller alone, which gives the same results.
 */
public final class Parallel {
    /** How long a worker, or a caller waiting for its workers, spins before it parks. */
    private static final long SPIN_NANOS = 2_000_000;

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static Worker[] workers = new Worker[0];  // grown under BUSY

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

    /** {@link #forRange(int, IntToLongFunction, IntConsumer)} with chunks of equal count. */
    public static void forRange(int n, IntConsumer body) {
        forRange(n, null, body);
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, n), in contiguous chunks of about equal total
     * {@code cost} (a positive estimate per index), one per thread; a thread that finishes its chunk
     * takes the next unclaimed indices of the others. How indices are split never changes what a
     * body computes, only how long the slowest thread takes.
     */
    public static void forRange(int n, IntToLongFunction cost, IntConsumer body) {
        forRanges(n, cost, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        });
    }

    /** Receives a run of consecutive indices [from, to) of a loop. */
    @FunctionalInterface
    public interface RangeConsumer {
        void accept(int from, int to);
    }

    /**
     * {@link #forRange(int, IntToLongFunction, IntConsumer)} handing the body runs of up to
     * {@code maxRun} consecutive indices, for bodies that do more per index when given several
     * (a single-row product streams several weight panels at once). A thread claims at most half of
     * what is left of a chunk, so runs shrink to single indices at a chunk's end and the threads
     * still finish within about one index of each other. Every index is still run exactly once.
     */
    public static void forRanges(int n, IntToLongFunction cost, int maxRun, RangeConsumer body) {
        if (maxRun < 1) {
            throw new IllegalArgumentException("maxRun must be >= 1, found " + maxRun);
        }
        int t = Math.min(threads, n);
        if (t <= 1 || !BUSY.compareAndSet(false, true)) {
            for (int i = 0; i < n; i += maxRun) {
                body.accept(i, Math.min(n, i + maxRun));
            }
            return;
        }
        try {
            int[] bounds = split(n, t, cost);
            if (workers.length < t - 1) {
                Worker[] grown = Arrays.copyOf(workers, t - 1);
                for (int w = workers.length; w < grown.length; w++) {
                    grown[w] = new Worker();
                    grown[w].start();
                }
                workers = grown;
            }
            Job job = new Job(body, maxRun, bounds, Thread.currentThread());
            for (int c = 1; c < t; c++) {
                workers[c - 1].hand(job, c);
            }
            try {
                job.run(0);
            } catch (RuntimeException | Error e) {
                job.fail(e);
            }
            job.awaitWorkers();
            Throwable failure = job.failure.get();
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException("a loop body failed", failure);
            }
        } finally {
            BUSY.set(false);
        }
    }

    /**
     * Chunk c of a loop over [0, n) on t threads is [bounds[c], bounds[c + 1]): equal counts, or
     * about equal total cost when a cost is given.
     */
    static int[] split(int n, int t, IntToLongFunction cost) {
        int[] bounds = new int[t + 1];
        if (cost == null) {
            for (int c = 0; c <= t; c++) {
                bounds[c] = (int) ((long) n * c / t);
            }
            return bounds;
        }
        long[] prefix = new long[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + Math.max(1, cost.applyAsLong(i));
        }
        int i = 0;
        for (int c = 1; c < t; c++) {
            long target = prefix[n] / t * c;
            while (i < n && prefix[i] < target) {
                i++;
            }
            bounds[c] = i;
        }
        bounds[t] = n;
        return bounds;
    }

    /**
     * One loop: chunk c covers [bounds[c], bounds[c + 1]). Each thread claims its chunk's indices one
     * at a time from the front, then helps with the other chunks the same way: two vCPUs of a
     * shared machine rarely run at the same speed, and with fixed halves the faster thread had
     * waited ~30 µs at the end of a 700 µs product (~4% of a 128-token forward pass).
     */
    private static final class Job {
        /** Ints between two chunks' cursors: one cache line each, so an owner's claims stay in its core. */
        private static final int PAD = 16;
        final RangeConsumer body;
        final int maxRun;
        final int[] bounds;
        final AtomicIntegerArray next;  // next[c · PAD]: chunk c's first unclaimed index
        final Thread caller;
        /**
         * Workers inside the job, plus {@link #CLOSED} once the caller has claimed every index: a
         * worker enters only while the job is open, and the caller waits only for those inside. A
         * worker the OS has not scheduled yet (another process holds the core) is not waited for;
         * before, the caller waited a whole time slice for it to find the loop already done, and a
         * decode step of ~40 loops took 20–30 ms instead of 0.4 ms on a loaded machine.
         */
        final AtomicInteger inside = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean callerParked;
        private static final int CLOSED = 1 << 30;

        Job(RangeConsumer body, int maxRun, int[] bounds, Thread caller) {
            this.body = body;
            this.maxRun = maxRun;
            this.bounds = bounds;
            this.caller = caller;
            this.next = new AtomicIntegerArray((bounds.length - 1) * PAD);
            for (int c = 0; c < bounds.length - 1; c++) {
                next.set(c * PAD, bounds[c]);
            }
        }

        /** Whether a worker may take part: false once the caller has closed the job. */
        boolean enter() {
            while (true) {
                int state = inside.get();
                if ((state & CLOSED) != 0) {
                    return false;
                }
                if (inside.compareAndSet(state, state + 1)) {
                    return true;
                }
            }
        }

        /** Runs what is left of chunk {@code chunk}, then of the chunks after it. */
        void run(int chunk) {
            int chunks = bounds.length - 1;
            for (int d = 0; d < chunks; d++) {
                int c = (chunk + d) % chunks;
                int end = bounds[c + 1];
                if (maxRun == 1) {  // one index a claim: a plain increment, which never has to retry
                    for (int i; (i = next.getAndIncrement(c * PAD)) < end; ) {
                        body.accept(i, i + 1);
                    }
                    continue;
                }
                for (int from; (from = next.get(c * PAD)) < end; ) {
                    int to = from + Math.clamp((end - from) / 2, 1, maxRun);
                    if (next.compareAndSet(c * PAD, from, to)) {
                        body.accept(from, to);
                    }
                }
            }
        }

        void fail(Throwable e) {
            failure.compareAndSet(null, e);
        }

        void workerDone() {
            if (inside.decrementAndGet() == CLOSED && callerParked) {
                LockSupport.unpark(caller);
            }
        }

        /** Called once the caller's own {@link #run} found nothing left to claim: waits for workers still inside. */
        void awaitWorkers() {
            if (inside.addAndGet(CLOSED) == CLOSED) {
                return;
            }
            long start = System.nanoTime();
            while (inside.get() != CLOSED) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                callerParked = true;  // volatile write, then re-read inside: workerDone sees one or the other
                while (inside.get() != CLOSED) {
                    LockSupport.park(this);
                }
            }
        }
    }

    private static final class Worker extends Thread {
        private final AtomicReference<Job> job = new AtomicReference<>();
        private volatile int chunk;
        private volatile boolean parked;

        Worker() {
            super("spotlight-worker");
            setDaemon(true);
        }

        void hand(Job next, int c) {
            chunk = c;
            job.set(next);  // volatile write after chunk: the worker reads job first, then chunk
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Job current = job.get();
                if (current != null) {
                    // Cleared only if still the same: a caller that closed a job this worker had
                    // not entered yet may already have handed the next one, which stays for the next turn.
                    job.compareAndSet(current, null);
                    if (current.enter()) {
                        try {
                            current.run(chunk);
                        } catch (Throwable e) {
                            current.fail(e);
                        }
                        current.workerDone();
                    }
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;  // volatile write, then re-read job: hand() sees one or the other
                    if (job.get() == null) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
