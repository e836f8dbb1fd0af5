package dev.spotlight.server;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * What {@code GET /metrics} reports, in the Prometheus text format (version 0.0.4): requests by
 * route and status, a latency histogram per route, requests and tokens per forward pass, queue depth
 * per model, sequences in each decoder's running generation and the requests that joined one, tokens
 * processed. Updates are lock-free adders; label values are the server's own route
 * and model names, never a client's path, so the series stay few.
 */
public final class ServerMetrics {
    private static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double[] BATCH_REQUEST_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    private static final double[] BATCH_TOKEN_BUCKETS = {16, 64, 256, 1024, 2048, 4096, 8192, 16384, 32768};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();  // "route\0status"
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();    // route
    private final Map<String, Histogram> batchRequests = new ConcurrentHashMap<>();  // model
    private final Map<String, Histogram> batchTokens = new ConcurrentHashMap<>();    // model
    private final Map<String, LongAdder> tokens = new ConcurrentHashMap<>();     // model
    private final Map<String, ToLongFunction<String>> queueDepth = new ConcurrentHashMap<>();  // model → depth reader
    private final Map<String, ToLongFunction<String>> liveSequences = new ConcurrentHashMap<>();  // decoder → reader
    private final Map<String, LongAdder> joined = new ConcurrentHashMap<>();     // decoder

    public void request(String route, int status, double seconds) {
        requests.computeIfAbsent(route + '\0' + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram(LATENCY_BUCKETS)).observe(seconds);
    }

    /** One forward pass of {@code model} that served {@code requestCount} requests with {@code tokenCount} real tokens. */
    public void pass(String model, int requestCount, int tokenCount) {
        batchRequests.computeIfAbsent(model, k -> new Histogram(BATCH_REQUEST_BUCKETS)).observe(requestCount);
        batchTokens.computeIfAbsent(model, k -> new Histogram(BATCH_TOKEN_BUCKETS)).observe(tokenCount);
        tokens.computeIfAbsent(model, k -> new LongAdder()).add(tokenCount);
    }

    /** Registers how to read a model's queue depth (requests waiting) when metrics are scraped. */
    public void queue(String model, ToLongFunction<String> depth) {
        queueDepth.put(model, depth);
    }

    /** Registers how to read the sequences of a decoder's running generation when metrics are scraped. */
    public void generation(String model, ToLongFunction<String> sequences) {
        liveSequences.put(model, sequences);
    }

    /** A completion request of {@code model} joined a generation that was already running. */
    public void joined(String model) {
        joined.computeIfAbsent(model, k -> new LongAdder()).increment();
    }

    /** Completion requests of {@code model} so far that joined a running generation (tests read this). */
    public long joinedRequests(String model) {
        LongAdder a = joined.get(model);
        return a == null ? 0 : a.sum();
    }

    /** Passes of {@code model} so far that served more than one request (tests read this). */
    public long coalescedPasses(String model) {
        Histogram h = batchRequests.get(model);
        return h == null ? 0 : h.count.sum() - h.counts[0].sum();
    }

    public long requestCount(String route, int status) {
        LongAdder a = requests.get(route + '\0' + status);
        return a == null ? 0 : a.sum();
    }

    public String prometheus() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "spotlight_requests_total", "counter", "Requests answered, by route and HTTP status.");
        for (var e : new TreeMap<>(requests).entrySet()) {
            String[] key = e.getKey().split("\0", 2);
            out.append("spotlight_requests_total{route=\"").append(label(key[0])).append("\",status=\"").append(key[1])
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        }
        histograms(out, "spotlight_request_duration_seconds", "Time from a request's arrival to its answer, by route.",
                "route", latency);
        histograms(out, "spotlight_batch_requests", "Requests coalesced into one forward pass, by model.", "model", batchRequests);
        histograms(out, "spotlight_batch_tokens", "Real tokens of one forward pass, by model.", "model", batchTokens);
        header(out, "spotlight_queue_depth", "gauge", "Requests waiting for a forward pass, by model.");
        for (var e : new TreeMap<>(queueDepth).entrySet()) {
            out.append("spotlight_queue_depth{model=\"").append(label(e.getKey())).append("\"} ")
                    .append(e.getValue().applyAsLong(e.getKey())).append('\n');
        }
        header(out, "spotlight_generation_sequences", "gauge", "Sequences in a decoder's running generation, by model.");
        for (var e : new TreeMap<>(liveSequences).entrySet()) {
            out.append("spotlight_generation_sequences{model=\"").append(label(e.getKey())).append("\"} ")
                    .append(e.getValue().applyAsLong(e.getKey())).append('\n');
        }
        header(out, "spotlight_joined_requests_total", "counter",
                "Completion requests that joined a generation already running (continuous batching), by model.");
        for (var e : new TreeMap<>(joined).entrySet()) {
            out.append("spotlight_joined_requests_total{model=\"").append(label(e.getKey())).append("\"} ")
                    .append(e.getValue().sum()).append('\n');
        }
        header(out, "spotlight_tokens_total", "counter", "Real tokens run through a model, by model.");
        for (var e : new TreeMap<>(tokens).entrySet()) {
            out.append("spotlight_tokens_total{model=\"").append(label(e.getKey())).append("\"} ")
                    .append(e.getValue().sum()).append('\n');
        }
        return out.toString();
    }

    private static void histograms(StringBuilder out, String name, String help, String labelName, Map<String, Histogram> byLabel) {
        header(out, name, "histogram", help);
        for (var e : new TreeMap<>(byLabel).entrySet()) {
            String l = labelName + "=\"" + label(e.getKey()) + "\"";
            Histogram h = e.getValue();
            long cumulative = 0;
            for (int b = 0; b < h.bounds.length; b++) {
                cumulative += h.counts[b].sum();
                out.append(name).append("_bucket{").append(l).append(",le=\"").append(number(h.bounds[b])).append("\"} ")
                        .append(cumulative).append('\n');
            }
            out.append(name).append("_bucket{").append(l).append(",le=\"+Inf\"} ").append(h.count.sum()).append('\n');
            out.append(name).append("_sum{").append(l).append("} ").append(number(h.sum.sum())).append('\n');
            out.append(name).append("_count{").append(l).append("} ").append(h.count.sum()).append('\n');
        }
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label values escaped as the text format asks: backslash, double quote, newline. */
    private static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    /** Counts per bucket (not cumulative: summed when written) plus count and sum. */
    private static final class Histogram {
        final double[] bounds;
        final LongAdder[] counts;
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(v);
        }
    }
}
