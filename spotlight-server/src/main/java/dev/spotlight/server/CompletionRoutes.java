package dev.spotlight.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.generation.FinishReason;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.models.generation.GenerationSettings;
import dev.spotlight.server.batching.BatchingWorker;
import dev.spotlight.server.batching.DecoderWorker;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OpenAI's {@code POST /v1/completions} (with {@code stream}: server-sent events) and
 * {@code POST /v1/chat/completions}. Absent sampling fields mean the model's generation_config.json
 * defaults; a stop string ends the text before it, as in the OpenAI API. Chat needs the model's
 * chat template, which is a Jinja program; this server renders none, so chat answers a clear 400
 * naming the reason and pointing to {@code /v1/completions}.
 */
final class CompletionRoutes {
    private static final AtomicLong IDS = new AtomicLong();
    private final ServedModels models;
    private final ServerOptions options;

    CompletionRoutes(ServedModels models, ServerOptions options) {
        this.models = models;
        this.options = options;
    }

    void completions(ServerRequest req, ServerResponse res, long deadline) {
        JsonBody body = JsonBody.read(req, options.maxBodyBytes());
        DecoderWorker worker = models.decoder(body.string("model", null));
        CausalLM model = worker.decoder();
        List<String> prompts = body.texts("prompt");
        EncoderInputs.checkCount(prompts, "prompt", options);
        unsupported(body);
        int maxTokens = body.integer("max_tokens", 16, 1, options.maxNewTokens());
        GenerationSettings settings = settings(body, model, maxTokens);
        List<int[]> ids = new ArrayList<>();
        int context = model.config().maxPositions();
        for (int i = 0; i < prompts.size(); i++) {
            int[] prompt = encode(model, prompts.get(i), i);
            if (prompt.length >= context) {
                throw ServerException.tooLarge("`prompt[" + i + "]` has " + prompt.length + " tokens; model " + model.name()
                        + " holds " + context + " in all, so no token could follow");
            }
            ids.add(prompt);
        }
        String id = "cmpl-" + IDS.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        if (body.bool("stream", false)) {
            JsonNode streamOptions = body.node("stream_options");
            boolean usage = streamOptions != null && streamOptions.path("include_usage").asBoolean(false);
            new CompletionStream(res, id, created, model.name(), settings.stopStrings(), prompts.size(), usage)
                    .run(listener -> worker.complete(ids, settings, maxTokens, listener), deadline, ids);
            return;
        }
        List<GenerationResult> results = BatchingWorker.await(worker.complete(ids, settings, maxTokens, null), deadline);
        ObjectNode root = CompletionStream.envelope(id, created, model.name());
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < results.size(); i++) {
            choices.addObject().put("text", results.get(i).text()).put("index", i).putNull("logprobs")
                    .put("finish_reason", finishReason(results.get(i)));
        }
        root.set("usage", CompletionStream.usage(ids, results));
        Responses.json(res, 200, root);
    }

    /**
     * Validates the messages as OpenAI defines them, then refuses: a prompt must be built by the
     * model's own chat template, and rendering an arbitrary Jinja template faithfully is not something
     * this server does (no engine on the classpath), so it never guesses a format.
     */
    void chat(ServerRequest req, ServerResponse res) {
        JsonBody body = JsonBody.read(req, options.maxBodyBytes());
        DecoderWorker worker = models.decoder(body.string("model", null));
        JsonNode messages = body.node("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ServerException.badRequest("`messages` must be a non-empty array of {role, content} objects, found "
                    + JsonBody.kind(messages));
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !(m.path("content").isTextual() || m.path("content").isArray())) {
                throw ServerException.badRequest("`messages[" + i + "]` must be an object with a string `role` and a `content`");
            }
        }
        CausalLM model = worker.decoder();
        String reason = hasChatTemplate(model)
                ? "its tokenizer_config.json has a chat_template (a Jinja program) and this server renders no Jinja templates"
                : "its tokenizer_config.json has no chat_template, so there is no trained way to turn messages into a prompt";
        throw ServerException.badRequest("model " + model.name() + " cannot serve chat completions: " + reason
                + "; send the prompt text to /v1/completions instead");
    }

    private static boolean hasChatTemplate(CausalLM model) {
        Path config = Path.of(model.source()).resolve("tokenizer_config.json");
        try {
            return Files.isRegularFile(config) && JsonBody.JSON.readTree(config.toFile()).hasNonNull("chat_template");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** OpenAI fields this server does not implement are refused when they would change the answer. */
    private static void unsupported(JsonBody body) {
        if (body.integer("n", 1, 1, 128) != 1 || body.integer("best_of", 1, 1, 128) != 1) {
            throw ServerException.badRequest("`n` and `best_of` must be 1");
        }
        if (body.bool("echo", false)) {
            throw ServerException.badRequest("`echo` is not supported");
        }
        if (body.has("logprobs")) {
            throw ServerException.badRequest("`logprobs` is not supported");
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            Double p = body.number(penalty, -2, 2);
            if (p != null && p != 0) {
                throw ServerException.badRequest("`" + penalty + "` is not supported (use `repetition_penalty`)");
            }
        }
        if (body.has("suffix")) {
            throw ServerException.badRequest("`suffix` is not supported");
        }
    }

    private static GenerationSettings settings(JsonBody body, CausalLM model, int maxTokens) {
        GenerationOptions o = GenerationOptions.DEFAULTS.withKeepStopString(false).withMaxNewTokens(maxTokens)
                .withTemperature(body.number("temperature", 0, 2))
                .withTopP(body.number("top_p", 0, 1))
                .withTopK(body.integer("top_k", null, 0, Integer.MAX_VALUE))
                .withMinP(body.number("min_p", 0, 1))
                .withRepetitionPenalty(body.number("repetition_penalty", 1e-6, 100))
                .withSeed(body.longValue("seed"));
        List<String> stop = stops(body.node("stop"));
        if (stop != null) {
            o = o.withStopStrings(stop);
        }
        try {
            return GenerationSettings.resolve(model.generationConfig(), o);
        } catch (IllegalArgumentException e) {
            throw ServerException.badRequest(JsonBody.clip(e.getMessage(), 200));
        }
    }

    /** OpenAI's {@code stop}: a string or up to 4 strings, each non-empty. */
    private static List<String> stops(JsonNode node) {
        if (node == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray() && node.size() <= 4) {
            node.forEach(n -> out.add(n.isTextual() ? n.asText() : ""));
        } else {
            throw ServerException.badRequest("`stop` must be a string or an array of up to 4 strings, found " + JsonBody.kind(node));
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ServerException.badRequest("`stop` must hold non-empty strings");
        }
        return out;
    }

    private static int[] encode(CausalLM model, String prompt, int index) {
        try {
            return model.encode(prompt);
        } catch (RuntimeException e) {
            throw new ServerException(422, "Tokenizer", "`prompt[" + index + "]` could not be tokenized ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    static String finishReason(GenerationResult r) {
        return r.finish().reason() == FinishReason.LENGTH ? "length" : "stop";
    }

    /** Starts a generation whose text goes to the listener; used by {@link CompletionStream}. */
    interface Start {
        CompletableFuture<List<GenerationResult>> start(dev.spotlight.models.generation.SequencePolicy.TextListener listener);
    }
}
