package dev.spotlight.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends single sentences to a server's {@code POST /v1/embeddings} on loopback (truncated at the
 * model's limit as {@code embed} truncates them), bounded in count and
 * time, and measures what clients see: latency percentiles, answers by status, real tokens per second
 * (from each answer's usage). Two shapes: closed loop (N clients, each sending its next sentence when
 * the last is answered) and open loop (arrivals at a fixed rate whatever the answers, to overload).
 * The address is always 127.0.0.1: load never leaves this machine.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final HttpClient client;
    private final List<String> sentences;

    /** @param port a server listening on 127.0.0.1 */
    public LoadGenerator(int port, List<String> sentences) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/v1/embeddings");
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.sentences = List.copyOf(sentences);
    }

    /**
     * What the clients saw.
     *
     * @param byStatus answers by HTTP status (0: no answer: connection failed or timed out)
     * @param p50Ms    median latency of 200 answers
     * @param p99Ms    99th percentile latency of 200 answers
     */
    public record Result(int requests, Map<Integer, Integer> byStatus, double seconds, long tokens, double p50Ms, double p99Ms,
                         double maxMs) {
        public int ok() {
            return byStatus.getOrDefault(200, 0);
        }

        public int errors() {
            return requests - ok() - byStatus.getOrDefault(429, 0);
        }

        public double tokensPerSecond() {
            return tokens / seconds;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%d requests in %.2f s: %s; %.0f real tokens/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    requests, seconds, byStatus, tokensPerSecond(), p50Ms, p99Ms, maxMs);
        }
    }

    /** {@code clients} clients, each sending sentences one at a time, until {@code total} are sent or time runs out. */
    public Result closedLoop(int clients, int total, Duration limit) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        Recorder recorder = new Recorder();
        long deadline = System.nanoTime() + limit.toNanos();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                threads.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < total && System.nanoTime() < deadline; ) {
                        recorder.send(i);
                    }
                });
            }
        }
        return recorder.result((System.nanoTime() - start) / 1e9);
    }

    /** Requests arriving at {@code perSecond} for {@code duration}, each on its own thread, answered or not. */
    public Result openLoop(double perSecond, Duration duration) throws InterruptedException {
        Recorder recorder = new Recorder();
        long start = System.nanoTime();
        long count = (long) (perSecond * duration.toNanos() / 1e9);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int index = i;
                threads.submit(() -> recorder.send(index));
            }
        }
        return recorder.result((System.nanoTime() - start) / 1e9);
    }

    private final class Recorder {
        final ConcurrentLinkedQueue<Long> okNanos = new ConcurrentLinkedQueue<>();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final AtomicLong tokens = new AtomicLong();
        final AtomicInteger sent = new AtomicInteger();

        void send(int i) {
            sent.incrementAndGet();
            String sentence = sentences.get(i % sentences.size());
            long t0 = System.nanoTime();
            int status;
            try {
                HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("input", sentence, "truncate", true))))
                        .build();
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                status = response.statusCode();
                if (status == 200) {
                    okNanos.add(System.nanoTime() - t0);
                    JsonNode usage = JSON.readTree(response.body()).path("usage");
                    tokens.addAndGet(usage.path("prompt_tokens").asLong());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 0;
            } catch (Exception e) {
                status = 0;
            }
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        }

        Result result(double seconds) {
            long[] sorted = okNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            statuses.forEach((k, v) -> byStatus.put(k, v.get()));
            return new Result(sent.get(), byStatus, seconds, tokens.get(), percentile(sorted, 0.50), percentile(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        }
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.clamp(index, 0, sorted.length - 1)] / 1e6;
    }
}
