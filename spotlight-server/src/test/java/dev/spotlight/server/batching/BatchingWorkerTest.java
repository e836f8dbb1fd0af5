package dev.spotlight.server.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.server.ServerException;
import dev.spotlight.server.ServerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue's rules on a worker whose passes a test holds and releases: budget, bound, timeouts, shutdown. */
class BatchingWorkerTest {

    /** Records each pass's job names; the first pass waits for {@link #release}. */
    static final class Held extends BatchingWorker<Held.Named> {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<List<String>> passes = new CopyOnWriteArrayList<>();

        static final class Named extends Job<String> {
            final String name;

            Named(String name, int tokens, boolean alone) {
                super(tokens, alone);
                this.name = name;
            }
        }

        Held(int batchTokens, Duration wait, int queueTokens) {
            this(batchTokens, wait, queueTokens, Duration.ofSeconds(60));
        }

        Held(int batchTokens, Duration wait, int queueTokens, Duration queueWait) {
            super("held", batchTokens, wait, queueTokens, queueWait, new ServerMetrics());
        }

        @Override
        protected void run(List<Named> pass) {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            passes.add(pass.stream().map(j -> j.name).toList());
            pass.forEach(j -> j.complete(j.name));
        }

        CompletableFuture<String> add(String name, int tokens, boolean alone) {
            return submit(new Named(name, tokens, alone));
        }
    }

    @Test
    void jobsWaitingTogetherShareAPassUpToTheTokenBudgetAndAloneJobsRunAlone() throws Exception {
        Held worker = new Held(100, Duration.ZERO, 1000);
        CompletableFuture<String> first = worker.add("first", 10, false);
        worker.started.await(10, TimeUnit.SECONDS);
        List<CompletableFuture<String>> rest = new ArrayList<>();
        rest.add(worker.add("a", 40, false));
        rest.add(worker.add("b", 40, false));
        rest.add(worker.add("c", 40, false));   // 120 > 100: next pass
        rest.add(worker.add("solo", 5, true));
        rest.add(worker.add("d", 10, false));
        worker.release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<String> f : rest) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(List.of("first"), List.of("a", "b"), List.of("c"), List.of("solo"), List.of("d")), worker.passes);
        worker.close();
    }

    @Test
    void aFullQueueRefusesWith429AndARetryAfterInsteadOfGrowing() throws Exception {
        Held worker = new Held(100, Duration.ZERO, 100);
        worker.add("running", 10, false);
        worker.started.await(10, TimeUnit.SECONDS);
        worker.add("a", 60, false);
        worker.add("b", 40, false);
        ServerException full = assertThrows(ServerException.class, () -> worker.add("c", 1, false));
        assertEquals(429, full.status());
        assertTrue(full.retryAfterSeconds() >= 1, "Retry-After " + full.retryAfterSeconds());
        assertTrue(full.getMessage().contains("100 tokens queued (limit 100,"), full.getMessage());
        assertEquals(2, worker.depth());
        worker.release.countDown();
        worker.close();
    }

    @Test
    void aJobThatWouldWaitLongerThanTheQueueWaitBoundIsRefused() throws Exception {
        // no pass has finished yet, so the rate is the starting guess of 1000 tokens/s: 1 token = 1 ms
        Held worker = new Held(1000, Duration.ZERO, 100_000, Duration.ofMillis(50));
        worker.add("running", 10, false);
        worker.started.await(10, TimeUnit.SECONDS);
        worker.add("a", 30, false);
        worker.add("b", 15, false);   // 45 ms of work queued
        ServerException late = assertThrows(ServerException.class, () -> worker.add("c", 10, false));
        assertEquals(429, late.status());
        assertTrue(late.getMessage().contains("about 55 ms of work"), late.getMessage());
        worker.release.countDown();
        worker.close();
    }

    @Test
    void aJobWhoseRequestTimedOutIsDroppedBeforeItRuns() throws Exception {
        Held worker = new Held(100, Duration.ZERO, 1000);
        worker.add("running", 10, false);
        worker.started.await(10, TimeUnit.SECONDS);
        CompletableFuture<String> late = worker.add("late", 10, false);
        ServerException timeout = assertThrows(ServerException.class, () -> BatchingWorker.await(late, System.nanoTime()));
        assertEquals(503, timeout.status());
        assertTrue(timeout.retryAfterSeconds() >= 1);
        CompletableFuture<String> next = worker.add("next", 10, false);
        worker.release.countDown();
        next.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("running"), List.of("next")), worker.passes, "the timed-out job never ran");
        worker.close();
    }

    @Test
    void closingFinishesQueuedJobsAndRefusesNewOnes() throws Exception {
        Held worker = new Held(100, Duration.ZERO, 1000);
        CompletableFuture<String> running = worker.add("running", 10, false);
        worker.started.await(10, TimeUnit.SECONDS);
        CompletableFuture<String> queued = worker.add("queued", 10, true);
        Thread closer = Thread.ofVirtual().start(() -> worker.close(Duration.ofSeconds(10)));
        while (closer.isAlive() && !closingStarted(worker)) {
            Thread.sleep(1);
        }
        worker.release.countDown();
        closer.join(10_000);
        assertEquals("running", running.get(1, TimeUnit.SECONDS));
        assertEquals("queued", queued.get(1, TimeUnit.SECONDS));
        ServerException refused = assertThrows(ServerException.class, () -> worker.add("after", 1, false));
        assertEquals(503, refused.status());
    }

    private static boolean closingStarted(Held worker) {
        try {
            worker.submit(new Held.Named("probe", 0, true)).cancel(false);
            return false;
        } catch (ServerException e) {
            return true;
        }
    }

    @Test
    void aFailingPassFailsItsRequestsButNotTheWorker() throws Exception {
        BatchingWorker<Held.Named> worker = new BatchingWorker<>("failing", 100, Duration.ZERO, 1000, Duration.ofSeconds(60), new ServerMetrics()) {
            @Override
            protected void run(List<Held.Named> pass) {
                if (pass.getFirst().name.equals("boom")) {
                    throw new IllegalStateException("internal detail");
                }
                if (pass.getFirst().name.equals("overflow")) {
                    throw new dev.spotlight.models.ModelException("layer 1's output is NaN at sequence 0, token 3: …");
                }
                pass.forEach(j -> j.complete(j.name));
            }
        };
        CompletableFuture<String> boom = worker.submit(new Held.Named("boom", 1, true));
        ServerException e = assertThrows(ServerException.class, () -> BatchingWorker.await(boom, System.nanoTime() + 5_000_000_000L));
        assertEquals(500, e.status());
        assertTrue(!e.getMessage().contains("internal detail") && e.getMessage().contains("IllegalStateException"), e.getMessage());
        // the model module's own message is written for users: it reaches the client
        CompletableFuture<String> overflow = worker.submit(new Held.Named("overflow", 1, true));
        ServerException m = assertThrows(ServerException.class, () -> BatchingWorker.await(overflow, System.nanoTime() + 5_000_000_000L));
        assertEquals("the model failed on this batch: layer 1's output is NaN at sequence 0, token 3: …", m.getMessage());
        CompletableFuture<String> fine = worker.submit(new Held.Named("fine", 1, false));
        assertEquals("fine", BatchingWorker.await(fine, System.nanoTime() + 5_000_000_000L));
        worker.close();
    }
}
