package dev.spotlight.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.server.Responses.Family;
import dev.spotlight.server.batching.DecoderWorker;
import dev.spotlight.server.batching.EncoderWorker;
import dev.spotlight.view.html.HtmlViewer;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code spotlight serve}: embeddings (OpenAI and TEI shapes), tokenization, attention, completions,
 * metrics and the live viewer over HTTP, on Helidon SE's web server (a virtual thread per request).
 * <pre>{@code
 * try (var server = SpotlightServer.start(ServerOptions.defaults().withPort(0), List.of(Spotlight.load()), List.of())) {
 *     int port = server.port();
 * }
 * }</pre>
 * Closing it refuses new requests (503), lets the ones in flight finish (up to the shutdown grace),
 * then stops the workers and the listener.
 */
public final class SpotlightServer implements AutoCloseable {
    /** Routes by name, for metrics labels; anything else is counted as "other". */
    static final Set<String> ROUTES = Set.of("/", "/health", "/info", "/metrics", "/v1/embeddings", "/embed", "/tokenize",
            "/attention", "/v1/completions", "/v1/chat/completions");
    /** Open without a key: the health probe, and the page shell, which holds no data and runs no model. */
    private static final Set<String> PUBLIC = Set.of("/health", "/");

    private final ServerOptions options;
    private final ServedModels models;
    private final ServerMetrics metrics = new ServerMetrics();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final byte[] apiKey;
    private final byte[] page;
    private volatile boolean draining;
    private WebServer web;

    private SpotlightServer(ServerOptions options, List<EncoderModel> encoders, List<CausalLM> decoders) {
        this.options = options;
        this.apiKey = options.apiKey() == null ? null : options.apiKey().getBytes(StandardCharsets.UTF_8);
        this.models = new ServedModels(encoders, decoders, options, metrics);
        this.page = HtmlViewer.livePage().getBytes(StandardCharsets.UTF_8);
    }

    /** Starts listening; the models stay the caller's to close after the server. */
    public static SpotlightServer start(ServerOptions options, List<EncoderModel> encoders, List<CausalLM> decoders) {
        if (encoders.isEmpty() && decoders.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one model");
        }
        SpotlightServer server = new SpotlightServer(options, encoders, decoders);
        server.web = WebServer.builder()
                .host(options.host())
                .port(options.port())
                // a backstop only: routes check the size themselves and answer in their own error shape
                .maxPayloadSize(options.maxBodyBytes() * 2 + 4096)
                .shutdownGracePeriod(Duration.ofMillis(500))
                .routing(server::routes)
                .build()
                .start();
        return server;
    }

    public int port() {
        return web.port();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public ServerOptions options() {
        return options;
    }

    /** The worker of a served encoder (tests hold it busy to fill its queue). */
    EncoderWorker encoderWorker(String name) {
        return models.encoder(name);
    }

    /** The worker of a served decoder (tests pace its generation with a step observer). */
    DecoderWorker decoderWorker(String name) {
        return models.decoder(name);
    }

    private void routes(HttpRouting.Builder r) {
        EmbeddingRoutes embeddings = new EmbeddingRoutes(models, options);
        AttentionRoute attention = new AttentionRoute(models, options);
        CompletionRoutes completions = new CompletionRoutes(models, options);
        ChatRoute chat = new ChatRoute(models, options);
        r.addFilter(this::filter)
                .get("/", (req, res) -> Responses.send(res, 200, "text/html; charset=utf-8", page))
                .get("/health", handle(Family.TEI, (req, res, deadline) -> Responses.send(res, 200, Responses.JSON_TYPE, new byte[0])))
                .get("/info", handle(Family.TEI, (req, res, deadline) -> Responses.json(res, 200, info())))
                .get("/metrics", handle(Family.TEI, (req, res, deadline) -> Responses.send(res, 200,
                        "text/plain; version=0.0.4; charset=utf-8", metrics.prometheus().getBytes(StandardCharsets.UTF_8))))
                .post("/v1/embeddings", handle(Family.OPENAI, embeddings::openAi))
                .post("/embed", handle(Family.TEI, embeddings::embed))
                .post("/tokenize", handle(Family.TEI, (req, res, deadline) -> embeddings.tokenize(req, res)))
                .post("/attention", handle(Family.TEI, attention::attention))
                .post("/v1/completions", handle(Family.OPENAI, completions::completions))
                .post("/v1/chat/completions", handle(Family.OPENAI, chat::chat))
                .any(handle(Family.TEI, (req, res, deadline) -> {
                    String path = req.path().path();
                    throw new ServerException(ROUTES.contains(path) ? 405 : 404, "Validation", ROUTES.contains(path)
                            ? req.prologue().method().text() + " is not allowed on " + path
                            : "no route " + JsonBody.clip(path, 80) + "; see GET /info");
                }));
    }

    /** A route body: the request, its response, and the deadline (System.nanoTime) for its answer. */
    @FunctionalInterface
    interface Route {
        void handle(ServerRequest req, ServerResponse res, long deadline);
    }

    private Handler handle(Family family, Route route) {
        return (req, res) -> {
            long deadline = System.nanoTime() + options.requestTimeout().toNanos();
            try {
                route.handle(req, res, deadline);
            } catch (ServerException e) {
                Responses.error(res, family, e);
            } catch (RuntimeException | Error e) {  // never a raw Java message to a client
                Responses.error(res, family, new ServerException(500, "Backend", "internal error ("
                        + e.getClass().getSimpleName() + ")"));
            }
        };
    }

    /** Shutdown, authentication, counting in-flight requests and metrics, for every route. */
    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String path = req.path().path();
        String route = ROUTES.contains(path) ? path : "other";
        Family family = path.startsWith("/v1/") ? Family.OPENAI : Family.TEI;
        inFlight.incrementAndGet();
        try {
            if (draining && !route.equals("/health")) {
                Responses.error(res, family, new ServerException(503, "Unhealthy", "the server is shutting down", 1));
            } else if (draining) {
                Responses.send(res, 503, Responses.JSON_TYPE, new byte[0]);
            } else if (apiKey != null && !PUBLIC.contains(route) && !authorized(req)) {
                Responses.error(res, family, new ServerException(401, "Unauthorized",
                        "missing or wrong API key: send the header Authorization: Bearer <key>"));
            } else {
                chain.proceed();
            }
        } finally {
            inFlight.decrementAndGet();
            metrics.request(route, res.status().code(), (System.nanoTime() - start) / 1e9);
        }
    }

    private boolean authorized(RoutingRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // constant time: the comparison's duration must not tell how much of a guess was right
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8), apiKey);
    }

    /** TEI's /info for the default model, plus every served model under {@code models}. */
    private ObjectNode info() {
        ObjectNode root = JsonBody.JSON.createObjectNode();
        List<EncoderWorker> encoders = models.encoders();
        List<DecoderWorker> decoders = models.decoders();
        root.put("model_id", encoders.isEmpty() ? decoders.getFirst().model() : encoders.getFirst().model());
        root.putNull("model_sha");
        root.put("model_dtype", "float32");
        if (!encoders.isEmpty()) {
            root.putObject("model_type").putObject("embedding")
                    .put("pooling", encoders.getFirst().encoder().pooling().mode().name().toLowerCase(java.util.Locale.ROOT));
            root.put("max_input_length", EncoderInputs.limit(encoders.getFirst().encoder(), options));
        }
        root.put("max_batch_tokens", options.batchTokens());
        root.put("max_client_batch_size", options.maxInputs());
        root.put("auto_truncate", false);
        root.put("version", "0.1.0");
        ArrayNode list = root.putArray("models");
        for (EncoderWorker w : encoders) {
            EncoderModel m = w.encoder();
            list.addObject().put("id", m.name()).put("kind", "embedding").put("dimensions", m.config().hiddenSize())
                    .put("layers", m.config().numHiddenLayers()).put("heads", m.config().numAttentionHeads())
                    .put("pooling", m.pooling().mode().name().toLowerCase(java.util.Locale.ROOT))
                    .put("normalize", m.pooling().normalize())
                    .put("max_input_length", EncoderInputs.limit(m, options));
        }
        for (DecoderWorker w : decoders) {
            CausalLM m = w.decoder();
            list.addObject().put("id", m.name()).put("kind", "generation").put("context_length", m.config().maxPositions())
                    .put("max_new_tokens", options.maxNewTokens()).put("chat_template", m.hasChatTemplate());
        }
        return root;
    }

    /**
     * Refuses new requests with 503, waits for those in flight (up to the shutdown grace; queued work
     * counts as in flight), then stops the workers and the listener.
     */
    @Override
    public void close() {
        draining = true;
        long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        models.close(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        web.stop();
    }
}
