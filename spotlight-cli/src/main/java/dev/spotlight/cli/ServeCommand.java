package dev.spotlight.cli;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.server.ServerOptions;
import dev.spotlight.server.SpotlightServer;
import dev.spotlight.tensor.Parallel;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight serve}: embeddings (OpenAI and TEI), tokenization, attention, completions, metrics
 * and the live viewer over HTTP, until interrupted; Ctrl-C (SIGINT/SIGTERM) finishes the requests in
 * flight before it exits. Loopback unless {@code --host} says otherwise.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve models over HTTP: /v1/embeddings, /embed, /tokenize, /info, /health, /attention, /metrics, "
                + "/v1/completions, and the live attention viewer at /.")
public final class ServeCommand implements Callable<Integer> {
    static final String API_KEY_ENV = "SPOTLIGHT_API_KEY";
    /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M",
            description = "A model to serve (repeatable): a built-in name, a Hugging Face folder (encoder or decoder), an .onnx "
                    + "export or a model jar. Default: all-minilm-l6-v2. The first encoder and the first decoder are the defaults.")
    List<String> models = new ArrayList<>();

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ServerOptions.LOOPBACK,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require Authorization: Bearer KEY on every route but /health and the page shell / (default: $"
                    + API_KEY_ENV + " when set).")
    String apiKey;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads of the compute pool (default: all cores).")
    Integer threads;

    @Mixin
    Batching batching;

    /** Batching and limits, shared with {@code bench serve}. */
    public static final class Batching {
        @Option(names = "--batch-tokens", paramLabel = "N", description = "Token budget of one coalesced forward pass (default: 8192).")
        Integer batchTokens;

        @Option(names = "--batch-wait-ms", paramLabel = "MS", description = "How long a pass that is not full waits for more requests (default: 2).")
        Integer batchWaitMs;

        @Option(names = "--queue-tokens", paramLabel = "N",
                description = "Tokens that may wait per model; beyond, 429 with Retry-After (default: 32768).")
        Integer queueTokens;

        @Option(names = "--queue-wait-ms", paramLabel = "MS",
                description = "The longest a request may expect to wait at the measured rate; beyond, 429 (default: 2000).")
        Integer queueWaitMs;

        @Option(names = "--max-inputs", paramLabel = "N", description = "Inputs per request (default: 256).")
        Integer maxInputs;

        @Option(names = "--max-body-bytes", paramLabel = "N", description = "Request body size limit (default: 2097152).")
        Long maxBodyBytes;

        @Option(names = "--timeout-s", paramLabel = "S", description = "Request timeout in seconds (default: 30).")
        Integer timeoutSeconds;

        public ServerOptions apply(ServerOptions o) {
            ServerOptions out = o.withBatching(batchTokens != null ? batchTokens : o.batchTokens(),
                    batchWaitMs != null ? Duration.ofMillis(batchWaitMs) : o.batchWait(),
                    queueTokens != null ? queueTokens : Math.max(o.queueTokens(), batchTokens != null ? batchTokens : 0));
            out = queueWaitMs == null ? out : out.withQueueWait(Duration.ofMillis(queueWaitMs));
            out = out.withLimits(maxBodyBytes != null ? maxBodyBytes : o.maxBodyBytes(), maxInputs != null ? maxInputs : o.maxInputs(),
                    o.maxInputTokens());
            return timeoutSeconds == null ? out : out.withTimeouts(Duration.ofSeconds(timeoutSeconds), o.shutdownGrace());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        String key = apiKey != null ? apiKey : System.getenv(API_KEY_ENV);
        ServerOptions options = batching.apply(ServerOptions.defaults()).withHost(host).withPort(port).withApiKey(key);
        PrintWriter err = spec.commandLine().getErr();
        if (key == null && !isLoopback(host)) {
            err.println("spotlight serve: warning: listening on " + host + " without --api-key: anyone who reaches it can use it");
        }
        List<EncoderModel> encoders = new ArrayList<>();
        List<CausalLM> decoders = new ArrayList<>();
        for (String name : models.isEmpty() ? List.of("all-minilm-l6-v2") : models) {
            ModelFiles files = ModelResolver.resolve(name);
            if (files.config() instanceof DecoderConfig) {
                decoders.add(CausalLM.from(files));
            } else {
                encoders.add(EncoderModel.from(files));
            }
        }
        quietHelidon();
        SpotlightServer server = SpotlightServer.start(options, encoders, decoders);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("spotlight serve: finishing requests in flight, then stopping");
            err.flush();
            server.close();
            stopped.countDown();
        }, "spotlight-serve-shutdown"));
        List<String> names = new ArrayList<>();
        encoders.forEach(m -> names.add(m.name()));
        decoders.forEach(m -> names.add(m.name()));
        err.println("spotlight serve: http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port()
                + "/ serving " + names + (key == null ? "" : " (API key required)") + "; Ctrl-C stops");
        err.flush();
        stopped.await();
        return 0;
    }

    /** Helidon logs every listener start at INFO through java.util.logging; the command prints its own line. */
    public static void quietHelidon() {
        HELIDON_LOG.setLevel(Level.WARNING);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
