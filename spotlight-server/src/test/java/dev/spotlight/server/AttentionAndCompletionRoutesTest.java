package dev.spotlight.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /attention against the tokenizer and encoder; /v1/completions (plain and SSE) against CausalLM.generate; chat's refusal. */
class AttentionAndCompletionRoutesTest {
    private static SpotlightServer server;
    private static Http http;
    private static EncoderModel miniLm;
    private static CausalLM stories;

    @BeforeAll
    static void start() {
        miniLm = Fixtures.miniLm();
        stories = Fixtures.stories();
        server = SpotlightServer.start(ServerOptions.defaults().withPort(0).withGenerationLimits(1024, 64), List.of(miniLm),
                List.of(stories));
        http = Http.of(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void attentionGivesTheTokenizersPaddedBatchAndTheViewersData() {
        List<String> texts = List.of("The cat sat.", "A much longer second input sentence.");
        Http.Reply reply = http.post("/attention", Map.of("inputs", texts, "padding_side", "left"));
        assertEquals(200, reply.status(), reply.body());
        JsonNode root = reply.json();
        var options = miniLm.options().withPadding(miniLm.options().padding().withDirection(Direction.Left));
        List<Encoding> expected = miniLm.tokenizer().encodeBatch(texts, options);
        for (int s = 0; s < texts.size(); s++) {
            assertArrayEquals(expected.get(s).ids(), ints(root.get("batch").get("input_ids").get(s)));
            assertArrayEquals(expected.get(s).attentionMask(), ints(root.get("batch").get("attention_mask").get(s)));
        }
        assertEquals(0, root.get("batch").get("attention_mask").get(0).get(0).asInt(), "left padding: pads first");
        JsonNode viewer = root.get("viewer");
        assertEquals("spotlight-attention/2", viewer.get("format").asText());
        assertEquals("left", viewer.get("paddingSide").asText());
        assertEquals(6, viewer.get("layers").asInt());
        assertEquals(12, viewer.get("heads").asInt());
        assertEquals(expected.getFirst().length(), viewer.get("paddedLength").asInt());
        assertEquals("The cat sat.", viewer.get("sequences").get(0).get("text").asText());
        assertTrue(viewer.get("sequences").get(0).get("attention").has("u16"));

        JsonNode pairs = http.post("/attention", Map.of("inputs", List.of("a question?"), "pairs", List.of("an answer."))).json();
        assertTrue(pairs.get("batch").get("token_type_ids").get(0).toString().contains("1"), "pair tokens have type 1");
    }

    @Test
    void attentionRefusesOversizedOrMalformedRequests() {
        Http.Reply tooMany = http.post("/attention", Map.of("inputs", java.util.Collections.nCopies(12, "word ".repeat(100))));
        assertEquals(413, tooMany.status());
        assertTrue(tooMany.error().contains("more than the limit of 1024 for /attention"), tooMany.error());
        assertEquals(400, http.post("/attention", Map.of("inputs", "x", "padding_side", "top")).status());
        Http.Reply pairs = http.post("/attention", Map.of("inputs", List.of("a", "b"), "pairs", List.of("c")));
        assertTrue(pairs.error().contains("`pairs` has 1 texts but `inputs` has 2"), pairs.error());
        assertEquals(400, http.post("/attention", Map.of("inputs", "x", "model", stories.name())).status(), "a decoder is no encoder");
    }

    @Test
    void greedyCompletionsAreWhatGenerateGivesAloneAndStreamTheSameText() {
        List<String> prompts = List.of("Once upon a time", "The little dog");
        List<GenerationResult> alone = new ArrayList<>();
        for (String p : prompts) {
            alone.add(stories.generate(List.of(p), GenerationOptions.greedy().withMaxNewTokens(24).withKeepStopString(false)).getFirst());
        }
        Http.Reply reply = http.post("/v1/completions", Map.of("model", stories.name(), "prompt", prompts, "max_tokens", 24,
                "temperature", 0));
        assertEquals(200, reply.status(), reply.body());
        JsonNode root = reply.json();
        assertEquals("text_completion", root.get("object").asText());
        int completionTokens = 0;
        for (int i = 0; i < prompts.size(); i++) {
            JsonNode choice = root.get("choices").get(i);
            assertEquals(alone.get(i).text(), choice.get("text").asText());
            assertEquals(alone.get(i).finish().reason().name().equals("LENGTH") ? "length" : "stop", choice.get("finish_reason").asText());
            completionTokens += alone.get(i).generatedIds().length;
        }
        assertEquals(completionTokens, root.get("usage").get("completion_tokens").asInt());

        Http.Reply stream = http.post("/v1/completions", Map.of("prompt", prompts.getFirst(), "max_tokens", 24, "temperature", 0,
                "stream", true, "stream_options", Map.of("include_usage", true)));
        assertEquals(200, stream.status());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        StringBuilder text = new StringBuilder();
        List<String> events = stream.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertEquals("[DONE]", events.getLast());
        assertTrue(events.size() > 3, "streamed in pieces: " + events.size());
        for (String event : events.subList(0, events.size() - 2)) {
            JsonNode chunk = Http.JSON.valueToTree(parse(event));
            text.append(chunk.get("choices").get(0).get("text").asText());
        }
        assertEquals(alone.getFirst().text(), text.toString());
        assertEquals(alone.getFirst().generatedIds().length,
                Http.JSON.valueToTree(parse(events.get(events.size() - 2))).get("usage").get("completion_tokens").asInt());
    }

    @Test
    void aStopStringEndsTheTextBeforeItInBothPlainAndStreamedAnswers() {
        GenerationResult full = stories.generate(List.of("Once upon a time"), GenerationOptions.greedy().withMaxNewTokens(40)).getFirst();
        String stop = full.text().substring(12, 16);
        Map<String, Object> body = Map.of("prompt", "Once upon a time", "max_tokens", 40, "temperature", 0, "stop", stop);
        JsonNode plain = http.post("/v1/completions", body).json().get("choices").get(0);
        assertEquals(full.text().substring(0, full.text().indexOf(stop)), plain.get("text").asText());
        assertEquals("stop", plain.get("finish_reason").asText());
        Map<String, Object> streamed = new java.util.HashMap<>(body);
        streamed.put("stream", true);
        StringBuilder text = new StringBuilder();
        http.post("/v1/completions", streamed).body().lines().filter(l -> l.startsWith("data: {"))
                .forEach(l -> text.append(Http.JSON.valueToTree(parse(l.substring(6))).get("choices").get(0).get("text").asText()));
        assertEquals(plain.get("text").asText(), text.toString(), "the stream never shows the stop string");
    }

    @Test
    void completionErrorsAndChatRefusalAreOneLine400s() {
        assertTrue(bad(Map.of("prompt", "x", "max_tokens", 65)).contains("`max_tokens` must be an integer in [1, 64]"));
        assertTrue(bad(Map.of("prompt", "x", "n", 2)).contains("`n` and `best_of` must be 1"));
        assertTrue(bad(Map.of("prompt", "x", "temperature", "hot")).contains("`temperature` must be a number in [0.0, 2.0]"));
        assertTrue(bad(Map.of("prompt", "x", "stop", List.of("a", ""))).contains("`stop` must hold non-empty strings"));
        assertTrue(bad(Map.of("prompt", 5)).contains("`prompt` must be a string or an array of strings"));
        Http.Reply chat = http.post("/v1/chat/completions", Map.of("messages", List.of(Map.of("role", "user", "content", "Hi"))));
        assertEquals(400, chat.status());
        assertTrue(chat.error().contains("has no chat_template") && chat.error().contains("/v1/completions"), chat.error());
        assertEquals(400, http.post("/v1/chat/completions", Map.of("messages", "Hi")).status());
        assertEquals(400, http.post("/v1/completions", Map.of("prompt", "x", "model", miniLm.name())).status(), "an encoder is no decoder");
    }

    private static String bad(Map<String, Object> body) {
        Http.Reply r = http.post("/v1/completions", body);
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_request_error", r.json().get("error").get("type").asText());
        return r.error();
    }

    private static Object parse(String json) {
        try {
            return Http.JSON.readValue(json, Object.class);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
