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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OpenAI's {@code POST /v1/completions} (with {@code stream}: server-sent events), and the sampling
 * fields, refusals and finish reasons {@link ChatRoute} shares. Absent sampling fields mean the model's
 * generation_config.json defaults; a stop string ends the text before it, as in the OpenAI API.
 */
final class CompletionRoutes {
    static final AtomicLong IDS = new AtomicLong();
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
            if (prompt.length == 0) {   // a tokenizer that adds no BOS, and an empty prompt
                throw ServerException.badRequest("`prompt[" + i + "]` has no tokens, and a decoder needs at least one to continue");
            }
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
            new CompletionStream(res, id, created, model.name(), settings.stopStrings(), prompts.size(), usage, false)
                    .run(listener -> worker.complete(ids, settings, maxTokens, listener), deadline, ids);
            return;
        }
        List<GenerationResult> results = BatchingWorker.await(worker.complete(ids, settings, maxTokens, null), deadline);
        ObjectNode root = CompletionStream.envelope(id, "text_completion", created, model.name());
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < results.size(); i++) {
            choices.addObject().put("text", results.get(i).text()).put("index", i).putNull("logprobs")
                    .put("finish_reason", finishReason(results.get(i)));
        }
        root.set("usage", CompletionStream.usage(ids, results));
        Responses.json(res, 200, root);
    }

    /** OpenAI fields this server does not implement are refused when they would change the answer. */
    static void unsupported(JsonBody body) {
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

    static GenerationSettings settings(JsonBody body, CausalLM model, int maxTokens) {
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
