package dev.spotlight.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.CausalLM;
import dev.spotlight.server.ServerOptions;
import dev.spotlight.server.SpotlightServer;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code spotlight bench serve --decoder M}: what continuous batching buys a short completion. A few
 * clients keep long greedy completions running while one client sends short completions one after
 * another; the short ones' latency is measured with continuous batching (they join the running
 * generation at the next step) and without (they wait for it to end), each on a fresh server, and
 * alone as the floor. Clients and server share the process, on loopback.
 */
public final class CompletionBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param longClients clients each sending long completions back to back
     * @param longTokens  max_tokens of a long completion
     * @param shorts      short completions measured per run
     * @param shortTokens max_tokens of a short completion
     */
    public record Settings(int longClients, int longTokens, int shorts, int shortTokens, Duration limit, ServerOptions server) {
    }

    private CompletionBenchmark() {
    }

    public static void run(CausalLM model, Settings settings, PrintWriter out) throws InterruptedException {
        out.printf(Locale.ROOT, "%s; %d clients sending %d-token completions back to back, 1 client sending %d %d-token"
                + " completions one at a time (greedy, loopback)%n", model.name(), settings.longClients(), settings.longTokens(),
                settings.shorts(), settings.shortTokens());
        ServerOptions base = settings.server().withPort(0).withGenerationLimits(1024, settings.longTokens());
        for (String mode : List.of("warm-up", "alone", "waiting for the running generation", "joining it (continuous)")) {
            boolean continuous = !mode.startsWith("waiting");
            int longClients = mode.equals("alone") ? 0 : settings.longClients();
            try (SpotlightServer server = SpotlightServer.start(base.withContinuousBatching(continuous), List.of(), List.of(model))) {
                Run r = measure(server.port(), longClients, settings);
                if (!mode.equals("warm-up")) {
                    out.printf(Locale.ROOT, "short completions, %-34s p50 %7.1f ms, p99 %7.1f ms, max %7.1f ms (%d ok, %d failed"
                                    + " in %.1f s); %d long completions done meanwhile, %.0f tokens each on average%n", mode + ":",
                            r.p50Ms, r.p99Ms, r.maxMs, r.ok, r.failed, r.seconds, r.longsDone,
                            r.longsDone == 0 ? 0.0 : (double) r.longTokens / r.longsDone);
                    out.flush();
                }
            }
        }
    }

    private record Run(double p50Ms, double p99Ms, double maxMs, int ok, int failed, double seconds, int longsDone, long longTokens) {
    }

    private static Run measure(int port, int longClients, Settings settings) throws InterruptedException {
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/v1/completions");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger longsDone = new AtomicInteger();
        AtomicLong longTokens = new AtomicLong();
        long deadline = System.nanoTime() + settings.limit().toNanos();
        List<Long> latencies = new ArrayList<>();
        int failed = 0;
        double seconds;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Object> longBody = Map.of("prompt", "Once upon a time", "max_tokens", settings.longTokens(), "temperature", 0);
            for (int c = 0; c < longClients; c++) {
                threads.submit(() -> {
                    while (!stop.get() && System.nanoTime() < deadline) {
                        long tokens = send(client, endpoint, longBody);
                        if (tokens >= 0) {
                            longsDone.incrementAndGet();
                            longTokens.addAndGet(tokens);
                        }
                    }
                });
            }
            Map<String, Object> shortBody = Map.of("prompt", "The little dog", "max_tokens", settings.shortTokens(), "temperature", 0);
            long start = System.nanoTime();
            for (int i = 0; i < settings.shorts() && System.nanoTime() < deadline; i++) {
                long t0 = System.nanoTime();
                if (send(client, endpoint, shortBody) >= 0) {
                    latencies.add(System.nanoTime() - t0);
                } else {
                    failed++;
                }
            }
            seconds = (System.nanoTime() - start) / 1e9;
            stop.set(true);
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Run(LoadGenerator.percentile(sorted, 0.50), LoadGenerator.percentile(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, sorted.length, failed, seconds, longsDone.get(),
                longTokens.get());
    }

    /** The completion tokens of a 200 answer; -1 for any other answer or none. */
    private static long send(HttpClient client, URI endpoint, Map<String, Object> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() != 200 ? -1 : JSON.readTree(response.body()).path("usage").path("completion_tokens").asLong();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
