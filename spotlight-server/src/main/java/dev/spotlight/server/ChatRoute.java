package dev.spotlight.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.ModelException;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.chat.ChatMessage;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.models.generation.GenerationSettings;
import dev.spotlight.server.batching.BatchingWorker;
import dev.spotlight.server.batching.DecoderWorker;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's {@code POST /v1/chat/completions}: the messages become a prompt through the model's own chat
 * template, rendered as transformers' apply_chat_template renders it ({@link CausalLM#applyChatTemplate}),
 * tokenized without adding special tokens (the template wrote them), then generated as a completion,
 * plain or streamed. Messages, {@code tools} and {@code chat_template_kwargs} (vLLM's field, e.g.
 * {@code {"enable_thinking": false}}) reach the template as sent; the reply is text (tool calls in it are
 * not parsed out). A model without a template, a template this renderer refuses, or a template that
 * rejects the conversation is a one-line 400.
 */
final class ChatRoute {
    private final ServedModels models;
    private final ServerOptions options;

    ChatRoute(ServedModels models, ServerOptions options) {
        this.models = models;
        this.options = options;
    }

    void chat(ServerRequest req, ServerResponse res, long deadline) {
        JsonBody body = JsonBody.read(req, options.maxBodyBytes());
        DecoderWorker worker = models.decoder(body.string("model", null));
        CausalLM model = worker.decoder();
        List<ChatMessage> messages = messages(body.node("messages"));
        List<Object> tools = tools(body.node("tools"));
        Map<String, Object> variables = variables(body.node("chat_template_kwargs"));
        CompletionRoutes.unsupported(body);
        refuse(body);
        int maxTokens = body.has("max_completion_tokens")
                ? body.integer("max_completion_tokens", null, 1, options.maxNewTokens())
                : body.integer("max_tokens", options.maxNewTokens(), 1, options.maxNewTokens());
        GenerationSettings settings = CompletionRoutes.settings(body, model, maxTokens);
        String prompt;
        try {
            prompt = model.applyChatTemplate(messages, tools, body.bool("add_generation_prompt", true), variables);
        } catch (ModelException e) {
            // no template, or one this renderer refuses: the model cannot chat; else the template rejected these messages
            boolean unusable = !model.hasChatTemplate() || e instanceof ModelFormatException;
            throw ServerException.badRequest(JsonBody.clip("model " + model.name() + (unusable ? " cannot serve chat completions: "
                    : " cannot render these messages: ") + e.getMessage()
                    + (unusable ? "; send the prompt text to /v1/completions instead" : ""), 600));
        }
        int[] ids = model.encodeChatPrompt(prompt);
        if (ids.length == 0) {
            throw ServerException.badRequest("model " + model.name() + "'s chat template renders these messages as an empty"
                    + " prompt, and a decoder needs at least one token to continue: send a user message");
        }
        if (ids.length >= model.config().maxPositions()) {
            throw ServerException.tooLarge("the chat prompt has " + ids.length + " tokens; model " + model.name() + " holds "
                    + model.config().maxPositions() + " in all, so no token could follow");
        }
        List<int[]> prompts = List.of(ids);
        String id = "chatcmpl-" + CompletionRoutes.IDS.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        if (body.bool("stream", false)) {
            JsonNode streamOptions = body.node("stream_options");
            boolean usage = streamOptions != null && streamOptions.path("include_usage").asBoolean(false);
            new CompletionStream(res, id, created, model.name(), settings.stopStrings(), 1, usage, true)
                    .run(listener -> worker.complete(prompts, settings, maxTokens, listener), deadline, prompts);
            return;
        }
        List<GenerationResult> results = BatchingWorker.await(worker.complete(prompts, settings, maxTokens, null), deadline);
        ObjectNode root = CompletionStream.envelope(id, "chat.completion", created, model.name());
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", results.getFirst().text());
        choice.putNull("logprobs").put("finish_reason", CompletionRoutes.finishReason(results.getFirst()));
        root.set("usage", CompletionStream.usage(prompts, results));
        Responses.json(res, 200, root);
    }

    /** OpenAI's messages: objects with a string role; content a string, an array of parts, null, or absent. */
    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ServerException.badRequest("`messages` must be a non-empty array of {role, content} objects, found "
                    + JsonBody.kind(node));
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            JsonNode content = m.path("content");
            if (!m.isObject() || !m.path("role").isTextual()
                    || !(content.isMissingNode() || content.isNull() || content.isTextual() || content.isArray())) {
                throw ServerException.badRequest("`messages[" + i + "]` must be an object with a string `role` and a `content`"
                        + " that is a string, an array of parts or null");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            m.properties().forEach(e -> fields.put(e.getKey(), JsonBody.JSON.convertValue(e.getValue(), Object.class)));
            out.add(new ChatMessage(fields));
        }
        return out;
    }

    private static List<Object> tools(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ServerException.badRequest("`tools` must be an array of tool objects, found " + JsonBody.kind(node));
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isObject()) {
                throw ServerException.badRequest("`tools[" + i + "]` must be an object, found " + JsonBody.kind(node.get(i)));
            }
            out.add(JsonBody.JSON.convertValue(node.get(i), Object.class));
        }
        return out;
    }

    /** Template variables from {@code chat_template_kwargs}; the conversation's own variables cannot be replaced. */
    private static Map<String, Object> variables(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ServerException.badRequest("`chat_template_kwargs` must be an object, found " + JsonBody.kind(node));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (List.of("messages", "tools", "documents", "add_generation_prompt").contains(e.getKey())) {
                throw ServerException.badRequest("`chat_template_kwargs` may not set `" + e.getKey() + "`; use the request's own field");
            }
            out.put(e.getKey(), JsonBody.JSON.convertValue(e.getValue(), Object.class));
        });
        return out;
    }

    /** Chat fields that would change the answer in ways this server does not implement. */
    private static void refuse(JsonBody body) {
        JsonNode choice = body.node("tool_choice");
        if (choice != null && !choice.isNull() && !(choice.isTextual() && choice.asText().equals("auto"))) {
            throw ServerException.badRequest("`tool_choice` other than \"auto\" is not supported: nothing constrains the model's output");
        }
        JsonNode format = body.node("response_format");
        if (format != null && !format.isNull() && !format.path("type").asText("").equals("text")) {
            throw ServerException.badRequest("`response_format` other than {\"type\": \"text\"} is not supported");
        }
        if (body.has("top_logprobs")) {
            throw ServerException.badRequest("`top_logprobs` is not supported");
        }
        if (body.bool("continue_final_message", false)) {
            throw ServerException.badRequest("`continue_final_message` is not supported");
        }
    }
}
