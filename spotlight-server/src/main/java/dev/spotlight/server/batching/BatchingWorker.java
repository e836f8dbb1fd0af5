package dev.spotlight.server.batching;

import dev.spotlight.models.ModelException;
import dev.spotlight.server.ServerException;
import dev.spotlight.server.ServerMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One model's queue and the one platform thread that runs its forward passes. Request threads
 * (virtual, one per request) tokenize, then {@link #submit} a job and wait for it; the worker takes
 * the oldest job and, while the pass has room in its token budget, every job that arrived with it or
 * within the wait bound, and runs them as one packed pass. Packing computes no padding, so
 * coalescing costs nothing per request, and because every kernel's result for a row is independent
 * of the rows around it, each request gets bitwise what it would get alone. A decoder's worker goes
 * further: its generation takes queued jobs in at every step ({@link DecoderWorker}).
 *
 * <p>Concurrency: one pass at a time per model, so a server with M models runs at most M passes at
 * once. The process-wide {@code Parallel} pool goes to whichever pass starts a loop first; a pass that
 * finds it busy runs that loop on its own thread, with the same bits. The queue is bounded in tokens:
 * past it a request is refused at once (429, with a Retry-After from the measured token rate) rather
 * than queued to wait longer than its clients would, so admitted requests keep their latency when the
 * machine is overloaded or another process takes a core.
 */
public abstract class BatchingWorker<J extends BatchingWorker.Job<?>> implements AutoCloseable {
    /** A unit of work: its real tokens (what it costs) and the future its request waits on. */
    public abstract static class Job<T> {
        final int tokens;
        final boolean alone;
        final CompletableFuture<T> result = new CompletableFuture<>();

        /** @param alone runs in a pass of its own (an attention capture, a generation with streaming) */
        protected Job(int tokens, boolean alone) {
            this.tokens = tokens;
            this.alone = alone;
        }

        public int tokens() {
            return tokens;
        }

        protected void complete(T value) {
            result.complete(value);
        }

        protected void fail(Throwable e) {
            result.completeExceptionally(e);
        }

        boolean cancelled() {
            return result.isDone();
        }
    }

    private final String model;
    private final int batchTokens;
    private final long waitNanos;
    private final int queueTokens;
    private final double queueWaitSeconds;
    protected final ServerMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<J> queue = new ArrayDeque<>();
    private final Thread thread;
    private int queuedTokens;
    private boolean closed;
    /** Real tokens per second while a pass runs: a moving average over passes, first a low guess. */
    private volatile double tokensPerSecond = 1000;
    private long measurements;  // worker thread only

    /**
     * @param queueTokens the most tokens that may wait
     * @param queueWait   the longest a new job may expect to wait behind those queued, at the measured rate
     */
    protected BatchingWorker(String model, int batchTokens, Duration wait, int queueTokens, Duration queueWait,
                             ServerMetrics metrics) {
        this.model = model;
        this.batchTokens = batchTokens;
        this.waitNanos = wait.toNanos();
        this.queueTokens = queueTokens;
        this.queueWaitSeconds = queueWait.toNanos() / 1e9;
        this.metrics = metrics;
        metrics.queue(model, m -> depth());
        this.thread = Thread.ofPlatform().name("spotlight-batch-" + model).daemon(true).unstarted(this::loop);
        thread.start();
    }

    public String model() {
        return model;
    }

    /** Runs one pass: a list of coalesced jobs, or one job marked alone. Completes every job's future. */
    protected abstract void run(List<J> pass);

    /** The token budget of one pass. */
    protected int batchTokens() {
        return batchTokens;
    }

    /**
     * Queues a job, or refuses it: 429 when the queue holds too many tokens, or so many that the job
     * would wait longer than the queue-wait bound at the measured rate (an empty queue takes any job
     * that passed the per-request limits); 503 once the worker is closing.
     */
    public <T> CompletableFuture<T> submit(J job) {
        lock.lock();
        try {
            if (closed) {
                throw new ServerException(503, "Unhealthy", "the server is shutting down", 1);
            }
            double wait = (queuedTokens + job.tokens) / Math.max(1.0, tokensPerSecond);
            if (!queue.isEmpty() && (queuedTokens + job.tokens > queueTokens || wait > queueWaitSeconds)) {
                throw new ServerException(429, "Overloaded", "model " + model + " has " + queuedTokens
                        + " tokens queued (limit " + queueTokens + ", about " + Math.round(wait * 1000)
                        + " ms of work); retry later", Math.clamp((int) Math.ceil(wait), 1, 60));
            }
            queue.addLast(job);
            queuedTokens += job.tokens;
            arrived.signal();
        } finally {
            lock.unlock();
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<T> future = (CompletableFuture<T>) job.result;
        return future;
    }

    /**
     * Waits for a job until {@code deadlineNanos} (System.nanoTime). A job not done by then is
     * cancelled (dropped if it has not started) and the request gets 503.
     */
    public static <T> T await(CompletableFuture<T> future, long deadlineNanos) {
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new ServerException(503, "Timeout", "the request timed out waiting for the model", 1);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new ServerException(503, "Unhealthy", "the request was interrupted", 1);
        } catch (CancellationException e) {
            throw new ServerException(503, "Timeout", "the request was cancelled", 1);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServerException s) {
                throw s;
            }
            throw new ServerException(500, "Backend", "the model failed on this request" + reason(e.getCause()));
        }
    }

    /**
     * Why a pass failed, for the client: the model module's own one-line message (a KV cache that does not
     * fit, activations that left float32's range); anything else is a bug, named by its class only, never
     * by its message.
     */
    private static String reason(Throwable e) {
        return e instanceof ModelException m && m.getMessage() != null && m.getMessage().lines().count() == 1
                ? ": " + m.getMessage() : " (" + e.getClass().getSimpleName() + ")";
    }

    public int depth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new jobs, lets the worker finish what is queued, and waits for it up to {@code grace}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    public void close(Duration grace) {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The oldest queued job, or null when none waits; jobs whose request gave up are dropped first. For
     * a worker whose {@link #run} takes in more work while it runs (a decoder's generation, joined at
     * every step); only the worker's thread removes jobs, so the job stays the head until taken.
     */
    protected final J peekQueued() {
        lock.lock();
        try {
            while (!queue.isEmpty() && queue.peekFirst().cancelled()) {
                take();
            }
            return queue.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code job}, the head that {@link #peekQueued} returned, off the queue. */
    protected final void takeQueued(J job) {
        lock.lock();
        try {
            if (queue.peekFirst() != job) {
                throw new IllegalStateException("only the queue's head can be taken");
            }
            take();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One sample of the token rate the queue's wait estimate uses: {@code tokens} real tokens in
     * {@code nanos}. The worker measures each {@link #run} itself unless the run reports its own
     * samples (a generation that lasts as long as requests keep joining it reports every step).
     */
    protected final void measured(long tokens, long nanos) {
        double seconds = Math.max(1e-6, nanos / 1e9);
        tokensPerSecond = 0.8 * tokensPerSecond + 0.2 * (tokens / seconds);
        measurements++;
    }

    /** What the requests of a failed pass are told: see {@link #reason}. */
    protected static ServerException failure(Throwable e) {
        return new ServerException(500, "Backend", "the model failed on this batch" + reason(e));
    }

    private void loop() {
        while (true) {
            List<J> pass = next();
            if (pass == null) {
                return;
            }
            long start = System.nanoTime();
            long samples = measurements;
            try {
                run(pass);
            } catch (Throwable e) {  // a failed pass fails its requests, never the worker
                ServerException failure = failure(e);
                pass.forEach(j -> j.fail(failure));
            }
            if (measurements == samples) {
                measured(pass.stream().mapToInt(Job::tokens).sum(), System.nanoTime() - start);
            }
        }
    }

    /** The next pass, or null once closed and drained. Cancelled jobs (timed out) are dropped here. */
    private List<J> next() {
        lock.lock();
        try {
            J first;
            do {
                while (queue.isEmpty()) {
                    if (closed) {
                        return null;
                    }
                    arrived.awaitUninterruptibly();
                }
                first = take();
            } while (first.cancelled());
            List<J> pass = new ArrayList<>();
            pass.add(first);
            if (first.alone) {
                return pass;
            }
            int tokens = first.tokens;
            long deadline = System.nanoTime() + waitNanos;
            while (tokens < batchTokens) {
                J next = queue.peekFirst();
                if (next == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || closed) {
                        break;
                    }
                    try {
                        arrived.awaitNanos(left);
                    } catch (InterruptedException e) {
                        break;
                    }
                    continue;
                }
                if (next.alone || tokens + next.tokens > batchTokens) {
                    break;
                }
                take();
                if (!next.cancelled()) {
                    pass.add(next);
                    tokens += next.tokens;
                }
            }
            return pass;
        } finally {
            lock.unlock();
        }
    }

    private J take() {
        J job = queue.pollFirst();
        queuedTokens -= job.tokens;
        return job;
    }
}
