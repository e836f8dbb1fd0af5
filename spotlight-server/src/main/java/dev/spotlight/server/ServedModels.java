package dev.spotlight.server;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.server.batching.DecoderWorker;
import dev.spotlight.server.batching.EncoderWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models a server answers for, by name, each with its own batching worker. A request names its
 * model ({@code model}); without a name it gets the first encoder (embeddings, attention) or the first
 * decoder (completions).
 */
public final class ServedModels implements AutoCloseable {
    private final Map<String, EncoderWorker> encoders = new LinkedHashMap<>();
    private final Map<String, DecoderWorker> decoders = new LinkedHashMap<>();

    ServedModels(List<EncoderModel> encoderModels, List<CausalLM> decoderModels, ServerOptions options, ServerMetrics metrics) {
        for (EncoderModel m : encoderModels) {
            unique(m.name());
            encoders.put(m.name(), new EncoderWorker(m, options.batchTokens(), options.batchWait(), options.queueTokens(), options.queueWait(), metrics));
        }
        for (CausalLM m : decoderModels) {
            unique(m.name());
            decoders.put(m.name(), new DecoderWorker(m, options.batchTokens(), options.batchWait(), options.queueTokens(), options.queueWait(),
                    metrics, options.continuousBatching()));
        }
    }

    private void unique(String name) {
        if (encoders.containsKey(name) || decoders.containsKey(name)) {
            throw new IllegalArgumentException("two models are named " + name + ": serve each model once");
        }
    }

    public List<EncoderWorker> encoders() {
        return List.copyOf(encoders.values());
    }

    public List<DecoderWorker> decoders() {
        return List.copyOf(decoders.values());
    }

    /** The encoder named {@code name}, or the first when null; 404 naming the choices otherwise. */
    public EncoderWorker encoder(String name) {
        return pick(encoders, name, "an encoder (embeddings, tokenize, attention)", decoders);
    }

    public DecoderWorker decoder(String name) {
        return pick(decoders, name, "a decoder (completions)", encoders);
    }

    private static <W> W pick(Map<String, W> kind, String name, String what, Map<String, ?> others) {
        if (name == null) {
            if (kind.isEmpty()) {
                throw new ServerException(404, "model_not_found", "this server has no " + what + " model");
            }
            return kind.values().iterator().next();
        }
        W w = kind.get(name);
        if (w != null) {
            return w;
        }
        if (others.containsKey(name)) {
            throw new ServerException(400, "Validation", "model " + JsonBody.clip(name, 80) + " is not " + what
                    + "; this route needs one of " + kind.keySet());
        }
        throw new ServerException(404, "model_not_found", "model " + JsonBody.clip(name, 80) + " is not served here; choose one of "
                + new ArrayList<>(kind.keySet()));
    }

    public void close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (EncoderWorker w : encoders.values()) {
            w.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        for (DecoderWorker w : decoders.values()) {
            w.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
