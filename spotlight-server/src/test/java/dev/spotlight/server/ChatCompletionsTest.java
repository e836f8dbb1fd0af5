package dev.spotlight.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.chat.ChatFixtures;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /v1/chat/completions on stories260K with the Llama 2 chat template: the prompt the model sees is the
 * string Python's jinja2 rendered (goldens/chat, stories260K_llama2_chat) tokenized without added special
 * tokens, and the answer is what generating from exactly those ids gives, plain and streamed.
 */
class ChatCompletionsTest {
    private static SpotlightServer server;
    private static Http http;
    private static CausalLM chat;

    @BeforeAll
    static void start() {
        chat = Fixtures.storiesChat();
        server = SpotlightServer.start(ServerOptions.defaults().withPort(0).withGenerationLimits(1024, 64), List.of(),
                List.of(chat, Fixtures.stories()));
        http = Http.of(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, Object> request(String conversation, int maxTokens) {
        JsonNode context = ChatFixtures.storiesCase(conversation).get("context");
        Map<String, Object> body = new HashMap<>();
        body.put("model", chat.name());
        body.put("messages", Http.JSON.convertValue(context.get("messages"), List.class));
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0);
        return body;
    }

    /** What the model gives for the Python-rendered prompt, tokenized as transformers' apply_chat_template(tokenize=True). */
    private static GenerationResult expected(String conversation, int maxTokens) {
        int[] ids = chat.encodeChatPrompt(ChatFixtures.storiesCase(conversation).get("output").asText());
        return chat.generateIds(List.of(ids), GenerationOptions.greedy().withMaxNewTokens(maxTokens).withKeepStopString(false),
                false, null).getFirst().result();
    }

    @Test
    void theModelAnswersThePythonRenderedPromptWithOpenAisShape() {
        for (String conversation : List.of("system_user", "multi_turn")) {
            GenerationResult alone = expected(conversation, 24);
            Http.Reply reply = http.post("/v1/chat/completions", request(conversation, 24));
            assertEquals(200, reply.status(), reply.body());
            JsonNode root = reply.json();
            assertEquals("chat.completion", root.get("object").asText());
            assertTrue(root.get("id").asText().startsWith("chatcmpl-"));
            assertEquals(chat.name(), root.get("model").asText());
            JsonNode choice = root.get("choices").get(0);
            assertEquals("assistant", choice.get("message").get("role").asText());
            assertEquals(alone.text(), choice.get("message").get("content").asText(), conversation);
            assertEquals(CompletionRoutes.finishReason(alone), choice.get("finish_reason").asText());
            assertEquals(alone.promptIds().length, root.get("usage").get("prompt_tokens").asInt(), "the prompt the model saw");
            assertEquals(alone.generatedIds().length, root.get("usage").get("completion_tokens").asInt());
        }
    }

    @Test
    void aStreamedChatSendsTheRoleThenTheSameTextThenTheFinishReason() {
        GenerationResult alone = expected("system_user", 24);
        Map<String, Object> body = request("system_user", 24);
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        Http.Reply reply = http.post("/v1/chat/completions", body);
        assertEquals(200, reply.status());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = reply.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertEquals("[DONE]", events.getLast());
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events.subList(0, events.size() - 1)) {
            chunks.add(Http.tree(e));
        }
        JsonNode first = chunks.getFirst().get("choices").get(0);
        assertEquals("chat.completion.chunk", chunks.getFirst().get("object").asText());
        assertEquals("assistant", first.get("delta").get("role").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(1, chunks.size() - 2)) {
            JsonNode delta = c.get("choices").get(0).get("delta");
            text.append(delta.get("content").asText());
            assertTrue(c.get("choices").get(0).get("finish_reason").isNull());
        }
        assertTrue(chunks.size() > 5, "streamed in pieces: " + chunks.size());
        assertEquals(alone.text(), text.toString());
        JsonNode last = chunks.get(chunks.size() - 2).get("choices").get(0);
        assertTrue(last.get("delta").isEmpty());
        assertEquals(CompletionRoutes.finishReason(alone), last.get("finish_reason").asText());
        JsonNode usage = chunks.getLast();
        assertTrue(usage.get("choices").isEmpty());
        assertEquals(alone.promptIds().length, usage.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void infoSaysWhichModelsCanChat() {
        JsonNode models = http.get("/info").json().get("models");
        assertTrue(models.get(0).get("chat_template").asBoolean(), models.toString());
        assertTrue(!models.get(1).get("chat_template").asBoolean(), models.toString());
    }

    @Test
    void chatErrorsAreOneLine400s() {
        Map<String, Object> noTemplate = Map.of("model", Fixtures.stories().name(), "messages", List.of(Map.of("role", "user", "content", "Hi")));
        String refusal = bad(noTemplate);
        assertTrue(refusal.contains("has no chat_template") && refusal.contains("/v1/completions"), refusal);
        String alternate = bad(Map.of("messages", List.of(Map.of("role", "user", "content", "a"), Map.of("role", "user", "content", "b"))));
        assertTrue(alternate.endsWith("the template refused the conversation: Conversation roles must alternate user/assistant/user/assistant/..."),
                alternate);
        assertTrue(bad(Map.of("messages", "Hi")).contains("`messages` must be a non-empty array"));
        assertTrue(bad(Map.of("messages", List.of(Map.of("content", "x")))).contains("`messages[0]` must be an object with a string `role`"));
        assertTrue(bad(Map.of("messages", List.of(Map.of("role", "user", "content", 5)))).contains("`messages[0]`"));
        List<Map<String, String>> hi = List.of(Map.of("role", "user", "content", "Hi"));
        assertTrue(bad(Map.of("messages", hi, "tools", "x")).contains("`tools` must be an array"));
        assertTrue(bad(Map.of("messages", hi, "tool_choice", "required")).contains("`tool_choice`"));
        assertTrue(bad(Map.of("messages", hi, "chat_template_kwargs", Map.of("messages", List.of()))).contains("may not set `messages`"));
        assertTrue(bad(Map.of("messages", hi, "max_tokens", 65)).contains("`max_tokens` must be an integer in [1, 64]"));
        assertTrue(bad(Map.of("messages", hi, "n", 2)).contains("`n` and `best_of` must be 1"));
    }

    private static String bad(Map<String, Object> body) {
        Http.Reply r = http.post("/v1/chat/completions", body);
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_request_error", r.json().get("error").get("type").asText());
        assertEquals(1, r.error().lines().count(), r.error());
        return r.error();
    }

    @Test
    void chatTemplateKwargsAreAcceptedAndPassedToTheTemplate() {
        // the Llama 2 template ignores extra variables: the same prompt, the same answer (CausalLMChatTest shows they arrive)
        Map<String, Object> body = request("system_user", 8);
        body.put("chat_template_kwargs", Map.of("enable_thinking", false));
        Http.Reply reply = http.post("/v1/chat/completions", body);
        assertEquals(200, reply.status(), reply.body());
        assertEquals(expected("system_user", 8).text(), reply.json().get("choices").get(0).get("message").get("content").asText());
    }
}
