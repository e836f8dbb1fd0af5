package dev.spotlight.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.pooling.SentencePooling;
import dev.spotlight.tokenizers.Encoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedding routes over real HTTP: OpenAI's and TEI's shapes, vectors bit for bit, every error answer. */
class EmbeddingRoutesTest {
    private static SpotlightServer server;
    private static Http http;
    private static EncoderModel miniLm;

    @BeforeAll
    static void start() {
        miniLm = Fixtures.miniLm();
        server = SpotlightServer.start(ServerOptions.defaults().withPort(0).withLimits(64 << 10, 8, 0),
                List.of(miniLm, Fixtures.bge()), List.of());
        http = Http.of(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The tokenizer's own defaults pad MiniLM to 128: a request's tokens are the unpadded ones. */
    private static Encoding unpadded(String text) {
        return miniLm.tokenizer().encode(text, null, miniLm.options().withPadding(null));
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    @Test
    void openAiEmbeddingsAreTheLibrarysVectorsBitForBitAsFloatAndBase64() {
        List<String> texts = List.of("The cat sat on the mat.", "Dogs bark.", "");
        float[][] expected = miniLm.embed(texts);
        Http.Reply reply = http.post("/v1/embeddings", Map.of("input", texts, "model", "all-minilm-l6-v2"));
        assertEquals(200, reply.status(), reply.body());
        JsonNode root = reply.json();
        assertEquals("list", root.get("object").asText());
        assertEquals("all-minilm-l6-v2", root.get("model").asText());
        int tokens = texts.stream().mapToInt(t -> unpadded(t).length()).sum();
        assertEquals(tokens, root.get("usage").get("prompt_tokens").asInt());
        assertEquals(tokens, root.get("usage").get("total_tokens").asInt());
        for (int i = 0; i < texts.size(); i++) {
            JsonNode item = root.get("data").get(i);
            assertEquals("embedding", item.get("object").asText());
            assertEquals(i, item.get("index").asInt());
            assertArrayEquals(expected[i], floats(item.get("embedding")), 0f);
        }
        JsonNode b64 = http.post("/v1/embeddings", Map.of("input", "Dogs bark.", "encoding_format", "base64")).json();
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.get("data").get(0).get("embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(decoded);
        assertArrayEquals(expected[1], decoded, 0f);
    }

    @Test
    void severalModelsAreChosenPerRequest() {
        JsonNode bge = http.post("/v1/embeddings", Map.of("input", "Dogs bark.", "model", "bge-small-en-v1.5")).json();
        assertEquals("bge-small-en-v1.5", bge.get("model").asText());
        assertArrayEquals(Fixtures.bge().embed("Dogs bark."), floats(bge.get("data").get(0).get("embedding")), 0f);
        Http.Reply unknown = http.post("/v1/embeddings", Map.of("input", "x", "model", "gpt-4"));
        assertEquals(404, unknown.status());
        assertEquals("model_not_found", unknown.json().get("error").get("code").asText());
        assertTrue(unknown.error().contains("all-minilm-l6-v2"), unknown.error());
    }

    @Test
    void teiEmbedNormalizesByDefaultAndGivesThePooledVectorWhenAskedNotTo() {
        String text = "A short sentence to embed.";
        Http.Reply normalized = http.post("/embed", Map.of("inputs", text));
        assertEquals(200, normalized.status(), normalized.body());
        assertArrayEquals(miniLm.embed(text), floats(normalized.json().get(0)), 0f);

        JsonNode raw = http.post("/embed", Map.of("inputs", List.of(text), "normalize", false)).json();
        Encoding e = miniLm.tokenizer().encode(text, null, miniLm.options().withPadding(null));
        EncoderOutput out = miniLm.forward(List.of(e), Capture.NONE);
        float[] pooled = new SentencePooling(miniLm.pooling().mode(), false).pool(out.lastHidden(), 0, e.length(), out.hidden());
        assertArrayEquals(pooled, floats(raw.get(0)), 0f);
        double norm = 0;
        for (float v : pooled) {
            norm += v * v;
        }
        assertTrue(Math.abs(Math.sqrt(norm) - 1) > 1e-3, "the raw vector is not unit length: " + Math.sqrt(norm));
    }

    @Test
    void tooLongInputsAreRefusedUnlessTruncationIsAskedFor() {
        String longText = "word ".repeat(600);
        Http.Reply refused = http.post("/embed", Map.of("inputs", longText));
        assertEquals(413, refused.status());
        assertEquals("Validation", refused.json().get("error_type").asText());
        assertTrue(refused.error().contains("`inputs[0]` has 602 tokens, more than the limit of"), refused.error());
        Http.Reply openAi = http.post("/v1/embeddings", Map.of("input", List.of("ok", longText)));
        assertEquals(413, openAi.status());
        assertTrue(openAi.error().contains("`input[1]`"), openAi.error());

        Http.Reply truncated = http.post("/v1/embeddings", Map.of("input", longText, "truncate", true));
        assertEquals(200, truncated.status(), truncated.body());
        assertArrayEquals(miniLm.embed(longText), floats(truncated.json().get("data").get(0).get("embedding")), 0f,
                "truncated as spotlight embed truncates");
    }

    @Test
    void tokenizeGivesTeiTokensWithUtf8ByteOffsets() {
        JsonNode tokens = http.post("/tokenize", Map.of("inputs", "héllo world")).json().get(0);
        Encoding e = unpadded("héllo world");
        assertEquals(e.length(), tokens.size());
        assertTrue(tokens.get(0).get("special").asBoolean());
        assertEquals("[CLS]", tokens.get(0).get("text").asText());
        assertTrue(tokens.get(0).get("start").isNull());
        byte[] utf8 = "héllo world".getBytes(StandardCharsets.UTF_8);
        for (int t = 1; t < e.length() - 1; t++) {
            JsonNode token = tokens.get(t);
            assertEquals(e.id(t), token.get("id").asInt());
            int start = token.get("start").asInt();
            int stop = token.get("stop").asInt();
            assertEquals(new String(utf8, start, stop - start, StandardCharsets.UTF_8), token.get("text").asText());
        }
        assertEquals("world", tokens.get(e.length() - 2).get("text").asText());
        assertEquals(7, tokens.get(e.length() - 2).get("start").asInt(), "é is two bytes");
        JsonNode bare = http.post("/tokenize", Map.of("inputs", List.of("a", "b c"), "add_special_tokens", false)).json();
        assertEquals(1, bare.get(0).size());
        assertEquals(2, bare.get(1).size());
    }

    @Test
    void malformedBodiesAndWrongTypesGetOneLine400s() {
        assertBad("/embed", "{\"inputs\": ", "body is not valid JSON at line 1");
        assertBad("/embed", "[1, 2]", "body must be a JSON object, found an array");
        assertBad("/embed", "", "body is empty");
        assertBad("/embed", "{\"inputs\": 5}", "`inputs` must be a string or an array of strings, found a number (5)");
        assertBad("/embed", "{\"inputs\": [\"a\", 3]}", "`inputs[1]` must be a string, found a number (3) (token id inputs are not supported");
        assertBad("/embed", "{\"inputs\": []}", "`inputs` is an empty array");
        assertBad("/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}", "`normalize` must be true or false, found a string");
        assertBad("/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"Up\"}", "`truncation_direction` is Up");
        assertBad("/v1/embeddings", "{}", "`input` is missing");
        assertBad("/v1/embeddings", "{\"input\": \"a\", \"encoding_format\": \"int8\"}", "`encoding_format` is int8");
        assertBad("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 12}", "`dimensions` is 12 but model all-minilm-l6-v2 makes vectors of 384");
        assertBad("/v1/embeddings", "{\"input\": \"a\", \"model\": 7}", "`model` must be a string, found a number (7)");
        assertBad("/tokenize", "{\"inputs\": {\"a\": 1}}", "`inputs` must be a string or an array of strings, found an object");
        Http.Reply openAi = http.post("/v1/embeddings", "nope");
        assertEquals("invalid_request_error", openAi.json().get("error").get("type").asText(), "OpenAI's error shape on /v1");
    }

    private static void assertBad(String path, String body, String reason) {
        Http.Reply reply = http.post(path, body);
        assertEquals(400, reply.status(), path + " " + body + " -> " + reply.body());
        assertTrue(reply.error().contains(reason), reply.error());
        assertFalse(reply.error().contains("\n"), "one line");
        assertFalse(reply.error().contains("Exception"), "no Java exception names");
    }

    @Test
    void bodiesAndRequestsPastTheLimitsGet413() {
        Http.Reply big = http.post("/embed", "{\"inputs\": \"" + "a".repeat(70 << 10) + "\"}");
        assertEquals(413, big.status());
        assertTrue(big.error().contains("more than the limit of 65536"), big.error());
        Http.Reply many = http.post("/v1/embeddings", Map.of("input", java.util.Collections.nCopies(9, "x")));
        assertEquals(413, many.status());
        assertTrue(many.error().contains("`input` has 9 inputs, more than the limit of 8 per request"), many.error());
        Http.Reply route = http.get("/v2/nothing");
        assertEquals(404, route.status());
        assertEquals(405, http.get("/embed").status());
    }
}
