package dev.spotlight.server;

import java.time.Duration;

/**
 * How a server listens, what it accepts and how it batches. Every limit is a bound on memory or time
 * that a client cannot move: a body, the inputs of one request, the tokens of one input, what may
 * wait in a model's queue, how long a request may wait.
 *
 * @param host             address to bind; loopback unless a person says otherwise
 * @param port             0 picks a free port
 * @param apiKey           when not null, every route but {@code /health} and the page shell {@code /}
 *                         needs {@code Authorization: Bearer <apiKey>}
 * @param maxBodyBytes     larger bodies get 413 before they are read
 * @param maxInputs        texts per request
 * @param maxInputTokens   tokens per input, at most the model's own limit (0: the model's limit)
 * @param batchTokens      token budget of one coalesced forward pass
 * @param batchWait        how long a pass that is not full waits for more requests
 * @param queueTokens      tokens that may wait per model; beyond it requests get 429 with Retry-After
 * @param queueWait        the longest a request may expect to wait, from the model's measured token rate:
 *                         a request that would wait longer gets 429, so admitted requests keep their
 *                         latency when clients send more than the machine can do
 * @param requestTimeout   a request not answered by then gets 503 and its queued work is dropped
 * @param shutdownGrace    how long {@link SpotlightServer#close} waits for requests in flight
 * @param attentionTokens  real tokens of all inputs of one {@code /attention} request
 * @param maxNewTokens     the most tokens one completion may generate
 * @param continuousBatching whether a completion arriving while a generation runs joins it at the next
 *                         step (the default); off, it waits for the generation to end (kept to
 *                         measure the difference: {@code spotlight bench serve --decoder})
 */
public record ServerOptions(String host, int port, String apiKey, long maxBodyBytes, int maxInputs, int maxInputTokens,
                            int batchTokens, Duration batchWait, int queueTokens, Duration queueWait, Duration requestTimeout,
                            Duration shutdownGrace, int attentionTokens, int maxNewTokens, boolean continuousBatching) {

    public static final String LOOPBACK = "127.0.0.1";

    public ServerOptions {
        require(host != null && !host.isBlank(), "host", host, "an address such as 127.0.0.1");
        require(port >= 0 && port <= 65535, "port", port, "0..65535");
        require(apiKey == null || !apiKey.isBlank(), "api key", "(blank)", "a non-blank key, or none");
        require(maxBodyBytes >= 1024, "max body bytes", maxBodyBytes, ">= 1024");
        require(maxInputs >= 1, "max inputs", maxInputs, ">= 1");
        require(maxInputTokens >= 0, "max input tokens", maxInputTokens, ">= 0 (0: the model's limit)");
        require(batchTokens >= 1, "batch tokens", batchTokens, ">= 1");
        require(batchWait != null && !batchWait.isNegative(), "batch wait", batchWait, ">= 0");
        require(queueTokens >= batchTokens, "queue tokens", queueTokens, ">= batch tokens (" + batchTokens + ")");
        require(queueWait != null && queueWait.toMillis() >= 1, "queue wait", queueWait, ">= 1 ms");
        require(requestTimeout != null && requestTimeout.toMillis() >= 1, "request timeout", requestTimeout, ">= 1 ms");
        require(shutdownGrace != null && !shutdownGrace.isNegative(), "shutdown grace", shutdownGrace, ">= 0");
        require(attentionTokens >= 1, "attention tokens", attentionTokens, ">= 1");
        require(maxNewTokens >= 1, "max new tokens", maxNewTokens, ">= 1");
    }

    /** Loopback, port 8080, no key; limits sized for small encoders on a few cores. */
    public static ServerOptions defaults() {
        return new ServerOptions(LOOPBACK, 8080, null, 2L << 20, 256, 0, 8192, Duration.ofMillis(2), 32768,
                Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(10), 1024, 512, true);
    }

    public ServerOptions withHost(String h) {
        return new ServerOptions(h, port, apiKey, maxBodyBytes, maxInputs, maxInputTokens, batchTokens, batchWait, queueTokens, queueWait,
                requestTimeout, shutdownGrace, attentionTokens, maxNewTokens, continuousBatching);
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(host, p, apiKey, maxBodyBytes, maxInputs, maxInputTokens, batchTokens, batchWait, queueTokens, queueWait,
                requestTimeout, shutdownGrace, attentionTokens, maxNewTokens, continuousBatching);
    }

    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, key, maxBodyBytes, maxInputs, maxInputTokens, batchTokens, batchWait, queueTokens, queueWait,
                requestTimeout, shutdownGrace, attentionTokens, maxNewTokens, continuousBatching);
    }

    public ServerOptions withLimits(long bodyBytes, int inputs, int inputTokens) {
        return new ServerOptions(host, port, apiKey, bodyBytes, inputs, inputTokens, batchTokens, batchWait, queueTokens, queueWait,
                requestTimeout, shutdownGrace, attentionTokens, maxNewTokens, continuousBatching);
    }

    public ServerOptions withBatching(int tokens, Duration wait, int queue) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, maxInputs, maxInputTokens, tokens, wait, queue, queueWait,
                requestTimeout, shutdownGrace, attentionTokens, maxNewTokens, continuousBatching);
    }

    public ServerOptions withQueueWait(Duration wait) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, maxInputs, maxInputTokens, batchTokens, batchWait, queueTokens, wait,
                requestTimeout, shutdownGrace, attentionTokens, maxNewTokens, continuousBatching);
    }

    public ServerOptions withTimeouts(Duration request, Duration shutdown) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, maxInputs, maxInputTokens, batchTokens, batchWait, queueTokens,
                queueWait, request, shutdown, attentionTokens, maxNewTokens, continuousBatching);
    }

    public ServerOptions withGenerationLimits(int attention, int newTokens) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, maxInputs, maxInputTokens, batchTokens, batchWait, queueTokens, queueWait,
                requestTimeout, shutdownGrace, attention, newTokens, continuousBatching);
    }

    public ServerOptions withContinuousBatching(boolean on) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, maxInputs, maxInputTokens, batchTokens, batchWait, queueTokens, queueWait,
                requestTimeout, shutdownGrace, attentionTokens, maxNewTokens, on);
    }

    private static void require(boolean ok, String option, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(option + " is " + value + ", expected " + expected);
        }
    }
}
