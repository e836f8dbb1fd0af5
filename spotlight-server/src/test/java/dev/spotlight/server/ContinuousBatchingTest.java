package dev.spotlight.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.server.batching.DecoderWorker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching over HTTP: a completion sent while a long (streamed) generation runs joins it at
 * the next step and is answered while the long one is still generating, and both answers are what
 * each request gets alone. The test paces the model's worker with its step observer: it holds the
 * long generation at step {@link #JOIN_STEP} until the short request is queued, and at step
 * {@link #HOLD_STEP} until the short answer has arrived, so the order is proven by events, not timing.
 */
class ContinuousBatchingTest {
    private static final int JOIN_STEP = 5;
    private static final int HOLD_STEP = 40;
    private static final int LONG_TOKENS = 200;
    private static final int SHORT_TOKENS = 8;

    @Test
    void aRequestSentWhileALongGenerationRunsJoinsItAndIsAnsweredFirst() throws Exception {
        CausalLM stories = Fixtures.stories();
        String longPrompt = "Once upon a time";
        String shortPrompt = "The little dog";
        GenerationResult longAlone = stories.generate(List.of(longPrompt),
                GenerationOptions.greedy().withMaxNewTokens(LONG_TOKENS).withKeepStopString(false)).getFirst();
        GenerationResult shortAlone = stories.generate(List.of(shortPrompt),
                GenerationOptions.greedy().withMaxNewTokens(SHORT_TOKENS).withKeepStopString(false)).getFirst();
        assertTrue(longAlone.generatedIds().length > HOLD_STEP, "premise: the long generation outlasts step " + HOLD_STEP
                + ", it has " + longAlone.generatedIds().length + " tokens");
        assertTrue(JOIN_STEP + 1 + SHORT_TOKENS < HOLD_STEP, "premise: the short one can end before the hold");

        ServerOptions options = ServerOptions.defaults().withPort(0).withGenerationLimits(1024, LONG_TOKENS);
        try (SpotlightServer server = SpotlightServer.start(options, List.of(), List.of(stories))) {
            DecoderWorker worker = server.decoderWorker(stories.name());
            CountDownLatch atJoinStep = new CountDownLatch(1);
            CountDownLatch shortQueued = new CountDownLatch(1);
            CountDownLatch shortAnswered = new CountDownLatch(1);
            List<Integer> sequencesPerStep = new CopyOnWriteArrayList<>();
            CountDownLatch ended = new CountDownLatch(1);
            worker.observe((step, sequences) -> {
                sequencesPerStep.add(sequences);
                if (sequences == 0) {
                    ended.countDown();
                }
                if (step == JOIN_STEP) {
                    atJoinStep.countDown();
                    Waits.hold(shortQueued);
                } else if (step == HOLD_STEP) {
                    Waits.hold(shortAnswered);
                }
            });
            Http http = Http.of(server);
            Http.Reply shortReply;
            Future<Http.Reply> longReply;
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                longReply = threads.submit(() -> http.post("/v1/completions", Map.of("prompt", longPrompt,
                        "max_tokens", LONG_TOKENS, "temperature", 0, "stream", true)));
                assertTrue(atJoinStep.await(60, TimeUnit.SECONDS), "the long generation reached step " + JOIN_STEP);
                Future<Http.Reply> pending = threads.submit(() -> http.post("/v1/completions", Map.of("prompt", shortPrompt,
                        "max_tokens", SHORT_TOKENS, "temperature", 0)));
                while (worker.depth() == 0 && !pending.isDone()) {
                    Thread.onSpinWait();  // until the short request waits in the queue
                }
                shortQueued.countDown();
                shortReply = pending.get(60, TimeUnit.SECONDS);  // the worker is held at step HOLD_STEP until it is read
                assertFalse(longReply.isDone(), "the long generation is still running");
                shortAnswered.countDown();
                longReply.get(60, TimeUnit.SECONDS);
            }
            assertEquals(200, shortReply.status(), shortReply.body());
            assertEquals(shortAlone.text(), shortReply.json().get("choices").get(0).get("text").asText());
            Http.Reply streamed = longReply.get();
            assertEquals(200, streamed.status(), streamed.body());
            StringBuilder text = new StringBuilder();
            streamed.body().lines().filter(l -> l.startsWith("data: {")).forEach(l -> {
                JsonNode chunk = Http.tree(l.substring(6));
                text.append(chunk.get("choices").get(0).get("text").asText());
            });
            assertEquals(longAlone.text(), text.toString(), "the streamed long answer is what it gets alone");

            // the worker answers a finished request before it reports the step: wait for the report
            assertTrue(ended.await(60, TimeUnit.SECONDS), "the generation never reported its end: " + sequencesPerStep);
            assertEquals(1, server.metrics().joinedRequests(stories.name()));
            assertTrue(sequencesPerStep.contains(2), "both ran in one generation: " + sequencesPerStep);
            assertEquals(List.of(1, 0), sequencesPerStep.subList(sequencesPerStep.size() - 2, sequencesPerStep.size()),
                    "the long one ran alone after the short one left, and then the generation ended");
            String metrics = server.metrics().prometheus();
            assertTrue(metrics.contains("spotlight_joined_requests_total{model=\"" + stories.name() + "\"} 1"), metrics);
            assertTrue(metrics.contains("spotlight_generation_sequences{model=\"" + stories.name() + "\"} 0"), metrics);
            worker.observe(null);
        }
    }
}
