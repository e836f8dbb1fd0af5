package dev.spotlight.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.server.batching.EncoderWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Requests arriving together: coalesced into shared packed passes, each answer bitwise what the
 * request gets alone; two models at once; overload answered with 429; timeouts; graceful shutdown.
 */
class ConcurrencyTest {
    private static final List<String> SENTENCES = List.of("The cat sat on the mat.", "Dogs bark.",
            "A considerably longer sentence, with commas, clauses and more words than the others have.", "Hi",
            "Transformers attend to every token of their input at once.", "", "Paris is the capital of France.",
            "Ünïcödé text and emoji 🙂 tokenize too.");

    /** Sends each body from its own thread, all released at once, and returns the replies in order. */
    static List<Http.Reply> together(Http http, String path, List<?> bodies) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (Object body : bodies) {
                replies.add(threads.submit(() -> {
                    go.await();
                    return http.post(path, body);
                }));
            }
            go.countDown();
            List<Http.Reply> out = new ArrayList<>();
            for (Future<Http.Reply> f : replies) {
                out.add(f.get());
            }
            return out;
        }
    }

    @Test
    void requestsArrivingTogetherShareAPassAndEachGetsBitwiseWhatItGetsAlone() throws Exception {
        EncoderModel miniLm = Fixtures.miniLm();
        EncoderModel bge = Fixtures.bge();
        // a wait bound long enough that requests released together surely meet in the queue
        ServerOptions options = ServerOptions.defaults().withPort(0).withBatching(8192, Duration.ofMillis(50), 32768);
        try (SpotlightServer server = SpotlightServer.start(options, List.of(miniLm, bge), List.of())) {
            Http http = Http.of(server);
            List<Map<String, Object>> bodies = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String model = i % 4 == 3 ? "bge-small-en-v1.5" : "all-minilm-l6-v2";
                bodies.add(Map.of("input", SENTENCES.get(i % SENTENCES.size()), "model", model));
            }
            List<Http.Reply> replies = together(http, "/v1/embeddings", bodies);
            for (int i = 0; i < replies.size(); i++) {
                assertEquals(200, replies.get(i).status(), replies.get(i).body());
                EncoderModel model = i % 4 == 3 ? bge : miniLm;
                float[] alone = model.embed(List.of(SENTENCES.get(i % SENTENCES.size())))[0];
                JsonNode vector = replies.get(i).json().get("data").get(0).get("embedding");
                assertArrayEquals(alone, EmbeddingRoutesTest.floats(vector), 0f, "request " + i);
            }
            assertTrue(server.metrics().coalescedPasses("all-minilm-l6-v2") > 0, server.metrics().prometheus());
        }
    }

    @Test
    void anOverloadedModelAnswers429WithRetryAfterAndEveryAdmittedRequestSucceeds() throws Exception {
        // A queue of 64 tokens behind a worker held busy: the first requests of 48 fit, the rest are
        // refused. The worker is released only once every request has been queued or refused, so the
        // split does not depend on how fast the machine drains the queue.
        ServerOptions options = ServerOptions.defaults().withPort(0).withBatching(64, Duration.ZERO, 64);
        try (SpotlightServer server = SpotlightServer.start(options, List.of(Fixtures.miniLm()), List.of());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Http http = Http.of(server);
            EncoderWorker worker = server.encoderWorker("all-minilm-l6-v2");
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> holding = worker.alone(0, m -> {
                busy.countDown();
                return Waits.hold(release);
            });
            assertTrue(busy.await(60, TimeUnit.SECONDS), "the worker never started the holding job");
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                Map<String, Object> body = Map.of("inputs", SENTENCES.get(2) + " " + i);
                replies.add(threads.submit(() -> http.post("/embed", body)));
            }
            assertTrue(Waits.eventually(() -> replies.stream().filter(Future::isDone).count() + worker.depth() == replies.size()),
                    "the requests were neither all queued nor refused");
            release.countDown();
            assertTrue(holding.get(60, TimeUnit.SECONDS));
            int ok = 0;
            int refused = 0;
            for (Future<Http.Reply> f : replies) {
                Http.Reply r = f.get(60, TimeUnit.SECONDS);
                if (r.status() == 429) {
                    refused++;
                    int retry = Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow());
                    assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
                    assertEquals("Overloaded", r.json().get("error_type").asText());
                } else {
                    assertEquals(200, r.status(), r.body());
                    ok++;
                }
            }
            assertTrue(refused > 0 && ok > 0, ok + " ok, " + refused + " refused");
            // counted once each reply has been sent, so the last ones may land just after the client has them
            int counted = refused;
            assertTrue(Waits.eventually(() -> server.metrics().requestCount("/embed", 429) == counted),
                    server.metrics().requestCount("/embed", 429) + " refusals counted, " + refused + " received");
        }
    }

    @Test
    void aRequestNotAnsweredInTimeGets503() {
        ServerOptions options = ServerOptions.defaults().withPort(0).withTimeouts(Duration.ofMillis(1), Duration.ofSeconds(5));
        try (SpotlightServer server = SpotlightServer.start(options, List.of(Fixtures.miniLm()), List.of())) {
            Http.Reply r = Http.of(server).post("/embed", Map.of("inputs", SENTENCES.get(2)));
            assertEquals(503, r.status(), r.body());
            assertTrue(r.error().contains("timed out"), r.error());
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
        }
    }

    /**
     * Closing while a request is in flight: the test holds the decoder's worker at a step (its step
     * observer), so the completion is inside the server for as long as the test needs, and closing
     * can neither finish nor stop listening. Meanwhile a new request is refused with 503, and once
     * the worker goes on the completion is answered in full (what it gets alone). Synchronised on
     * those events, not on timing: a request still connecting when the listener stops has no
     * defined answer, so none is sent then.
     */
    @Test
    void closingFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
        CausalLM stories = Fixtures.stories();
        String prompt = "Once upon a time";
        GenerationResult alone = stories.generate(List.of(prompt),
                GenerationOptions.greedy().withMaxNewTokens(12).withKeepStopString(false)).getFirst();
        SpotlightServer server = SpotlightServer.start(ServerOptions.defaults().withPort(0), List.of(Fixtures.miniLm()),
                List.of(stories));
        Http http = Http.of(server);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.decoderWorker(stories.name()).observe((step, sequences) -> {
            if (step == 3) {
                held.countDown();
                Waits.hold(release);
            }
        });
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Http.Reply> inFlight = threads.submit(() -> http.post("/v1/completions",
                    Map.of("prompt", prompt, "max_tokens", 12, "temperature", 0)));
            assertTrue(held.await(60, TimeUnit.SECONDS), "the completion reached step 3");
            Future<?> closing = threads.submit(server::close);
            while (http.get("/health").status() == 200) {
                Thread.onSpinWait();  // until close() has begun draining; it cannot end while the completion is held
            }
            Http.Reply refused = http.post("/embed", Map.of("inputs", SENTENCES.get(0)));
            assertEquals(503, refused.status(), refused.body());
            assertTrue(refused.error().contains("shutting down"), refused.error());
            assertFalse(closing.isDone(), "close() waits for the request in flight");
            release.countDown();
            Http.Reply answered = inFlight.get(60, TimeUnit.SECONDS);
            closing.get(60, TimeUnit.SECONDS);
            assertEquals(200, answered.status(), answered.body());
            assertEquals(alone.text(), answered.json().get("choices").get(0).get("text").asText());
        }
    }

    @Test
    void apiKeyGuardsEveryRouteButHealthAndThePageShell() {
        ServerOptions options = ServerOptions.defaults().withPort(0).withApiKey("s3cret");
        try (SpotlightServer server = SpotlightServer.start(options, List.of(Fixtures.miniLm()), List.of())) {
            Http anonymous = Http.of(server);
            for (String path : List.of("/info", "/metrics")) {
                Http.Reply r = anonymous.get(path);
                assertEquals(401, r.status(), path);
                assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
            }
            for (String path : List.of("/embed", "/tokenize", "/attention", "/v1/embeddings", "/v1/completions", "/v1/chat/completions")) {
                assertEquals(401, anonymous.post(path, "{}").status(), path);
            }
            Http.Reply openAi = anonymous.withKey("wrong").post("/v1/embeddings", Map.of("input", "x"));
            assertEquals(401, openAi.status());
            assertEquals("invalid_api_key", openAi.json().get("error").get("code").asText());
            assertEquals(200, anonymous.get("/health").status());
            assertEquals(200, anonymous.get("/").status());
            Http keyed = anonymous.withKey("s3cret");
            assertEquals(200, keyed.post("/embed", Map.of("inputs", "x")).status());
            assertEquals(200, keyed.get("/info").status());
        }
    }

    @Test
    void metricsCountRequestsLatencyBatchesQueueAndTokensInPrometheusText() throws InterruptedException {
        try (SpotlightServer server = SpotlightServer.start(ServerOptions.defaults().withPort(0), List.of(Fixtures.miniLm()), List.of())) {
            Http http = Http.of(server);
            http.post("/embed", Map.of("inputs", List.of("one two", "three")));
            http.post("/embed", "{");
            // a request is counted once its reply is sent: wait until the second one is
            assertTrue(Waits.eventually(() -> server.metrics().requestCount("/embed", 400) == 1));
            Http.Reply metrics = http.get("/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = metrics.body();
            int tokens = 4 + 3;  // [CLS] one two [SEP], [CLS] three [SEP]
            for (String line : List.of("spotlight_requests_total{route=\"/embed\",status=\"200\"} 1",
                    "spotlight_requests_total{route=\"/embed\",status=\"400\"} 1",
                    "spotlight_request_duration_seconds_count{route=\"/embed\"} 2",
                    "spotlight_batch_requests_count{model=\"all-minilm-l6-v2\"} 1",
                    "spotlight_batch_tokens_sum{model=\"all-minilm-l6-v2\"} " + tokens,
                    "spotlight_queue_depth{model=\"all-minilm-l6-v2\"} 0",
                    "spotlight_tokens_total{model=\"all-minilm-l6-v2\"} " + tokens,
                    "# TYPE spotlight_request_duration_seconds histogram")) {
                assertTrue(text.lines().anyMatch(line::equals), "missing `" + line + "` in\n" + text);
            }
            assertTrue(text.contains("spotlight_request_duration_seconds_bucket{route=\"/embed\",le=\"+Inf\"} 2"), text);
        }
    }
}
