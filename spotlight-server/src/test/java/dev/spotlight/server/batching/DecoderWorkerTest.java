package dev.spotlight.server.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.decoder.SharedModels;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.models.generation.GenerationSettings;
import dev.spotlight.server.ServerException;
import dev.spotlight.server.ServerMetrics;
import dev.spotlight.server.Waits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decoder worker's continuous batching on stories260K, paced by its step observer: a request
 * that gives up leaves the generation at the next step and frees its cache; a request without room
 * in the KV cache waits for running ones to leave, one that could never fit gets 413; closing lets
 * the running generation and the requests queued for it finish, and refuses new ones.
 */
class DecoderWorkerTest {
    private static CausalLM stories;

    @BeforeAll
    static void load() {
        stories = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString());
    }

    @AfterAll
    static void close() {
        if (stories != null) {
            stories.close();
        }
    }

    private static DecoderWorker worker() {
        return new DecoderWorker(stories, 8192, Duration.ZERO, 32768, Duration.ofSeconds(60), new ServerMetrics(), true);
    }

    private static GenerationSettings greedy(int maxNew) {
        return GenerationSettings.resolve(stories.generationConfig(),
                GenerationOptions.greedy().withMaxNewTokens(maxNew).withKeepStopString(false));
    }

    private static GenerationResult alone(String prompt, int maxNew) {
        return stories.generate(List.of(prompt), GenerationOptions.greedy().withMaxNewTokens(maxNew).withKeepStopString(false))
                .getFirst();
    }

    @Test
    void aRequestThatGaveUpLeavesTheGenerationAtTheNextStepAndFreesItsCache() throws Exception {
        DecoderWorker worker = worker();
        List<long[]> steps = new CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<CompletableFuture<List<GenerationResult>>> job = new AtomicReference<>();
        CountDownLatch submitted = new CountDownLatch(1);
        worker.observe((step, sequences) -> {
            steps.add(new long[] {step, sequences});
            if (step == 3) {
                Waits.hold(submitted);
                job.get().cancel(false);  // as a timed-out request or a streaming client that left does
            }
            if (sequences == 0) {
                ended.countDown();
            }
        });
        job.set(worker.complete(List.of(stories.encode("Once upon a time")), greedy(200), 200, null));
        submitted.countDown();
        assertTrue(ended.await(60, TimeUnit.SECONDS));
        assertEquals(4, steps.size(), "the generation ended one step after the cancel, not after 200 tokens");
        assertArrayEquals(new long[] {4, 0}, steps.getLast());
        assertEquals(0, stories.cache().reservedBytes(), "its KV cache was freed");
        worker.observe(null);
        List<GenerationResult> next = BatchingWorker.await(worker.complete(List.of(stories.encode("Lily")), greedy(12), 12, null),
                System.nanoTime() + 60_000_000_000L);
        assertEquals(alone("Lily", 12).text(), next.getFirst().text(), "the worker goes on");
        worker.close();
    }

    @Test
    void closingFinishesTheGenerationWithTheRequestsQueuedToJoinItAndRefusesNewOnes() throws Exception {
        DecoderWorker worker = worker();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        worker.observe((step, sequences) -> {
            if (step == 2) {
                held.countDown();
                Waits.hold(release);
            }
        });
        CompletableFuture<List<GenerationResult>> running = worker.complete(
                List.of(stories.encode("Once upon a time"), stories.encode("The dog")), greedy(30), 30, null);
        assertTrue(held.await(60, TimeUnit.SECONDS));
        CompletableFuture<List<GenerationResult>> queued = worker.complete(List.of(stories.encode("Lily")), greedy(20), 20, null);
        Thread closer = Thread.ofVirtual().start(() -> worker.close(Duration.ofSeconds(60)));
        while (!refusesNewJobs(worker)) {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join(60_000);
        List<GenerationResult> first = running.get(1, TimeUnit.SECONDS);
        assertEquals(alone("Once upon a time", 30).text(), first.get(0).text());
        assertEquals(alone("The dog", 30).text(), first.get(1).text());
        assertEquals(alone("Lily", 20).text(), queued.get(1, TimeUnit.SECONDS).getFirst().text(), "the queued request joined and finished");
        ServerException refused = assertThrows(ServerException.class,
                () -> worker.complete(List.of(stories.encode("Hi")), greedy(2), 2, null));
        assertEquals(503, refused.status());
    }

    @Test
    void aRequestWithoutRoomInTheKvCacheWaitsForTheRunningOneAndOneThatCouldNeverFitGets413() throws Exception {
        CausalLM small = stories.withCacheBudget(100_000);  // 1,280 bytes per position: one slot of 64 positions
        ServerMetrics metrics = new ServerMetrics();
        DecoderWorker worker = new DecoderWorker(small, 8192, Duration.ZERO, 32768, Duration.ofSeconds(60), metrics, true);
        List<Integer> sequences = new CopyOnWriteArrayList<>();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        worker.observe((step, live) -> {
            sequences.add(live);
            if (step == 2) {
                held.countDown();
                Waits.hold(queued);
            }
        });
        CompletableFuture<List<GenerationResult>> running = worker.complete(List.of(small.encode("Once upon a time")), greedy(20),
                20, null);
        assertTrue(held.await(60, TimeUnit.SECONDS));
        CompletableFuture<List<GenerationResult>> waiting = worker.complete(List.of(small.encode("Lily")), greedy(20), 20, null);
        queued.countDown();
        assertEquals(alone("Lily", 20).text(), waiting.get(60, TimeUnit.SECONDS).getFirst().text());
        assertEquals(alone("Once upon a time", 20).text(), running.get(1, TimeUnit.SECONDS).getFirst().text());
        assertEquals(1, sequences.stream().mapToInt(Integer::intValue).max().orElseThrow(),
                "the second request never ran beside the first: " + sequences);
        assertEquals(0, metrics.joinedRequests(small.name()), "it started a generation of its own");
        assertEquals(0, small.cache().reservedBytes());

        worker.observe(null);
        ServerException tooLarge = assertThrows(ServerException.class, () -> BatchingWorker.await(
                worker.complete(List.of(small.encode("Once upon a time")), greedy(100), 100, null), System.nanoTime() + 60_000_000_000L));
        assertEquals(413, tooLarge.status());
        assertTrue(tooLarge.getMessage().contains("need 0.2 MB of KV cache, more than model " + small.name() + "'s budget of 0.1 MB"),
                tooLarge.getMessage());
        worker.close();
    }

    private static boolean refusesNewJobs(DecoderWorker worker) {
        try {
            worker.complete(List.of(new int[] {1}), greedy(1), 1, null).cancel(false);
            return false;
        } catch (ServerException e) {
            return true;
        }
    }
}
