package dev.spotlight.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.chat.ChatFixtures;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI JavaScript client ({@code openai} 5.23.2 from npm, oracle/package.json, installed
 * by the build) pointed at the server: embeddings as floats and in its default base64 (which it
 * decodes itself) are the vectors {@code spotlight embed} writes ({@link EncoderModel#embed}) bit for
 * bit, a greedy completion, plain and streamed, is the text CausalLM.generate gives, and a greedy chat
 * completion is what the model generates from the Python-rendered Llama 2 chat prompt.
 */
class OpenAiClientTest {
    private static final Path CLIENT = Path.of("oracle", "client.mjs");

    @Test
    void theOpenAiClientGetsTheVectorsOfSpotlightEmbedAndTheGreedyCompletion() throws Exception {
        assertTrue(Files.isDirectory(Path.of("oracle", "node_modules", "openai")),
                "oracle/node_modules/openai is missing: the build installs it (npm install in spotlight-server/oracle)");
        EncoderModel miniLm = Fixtures.miniLm();
        var stories = Fixtures.stories();
        var chat = Fixtures.storiesChat();
        JsonNode conversation = ChatFixtures.storiesCase("multi_turn");
        List<String> texts = List.of("The cat sat on the mat.", "Ünïcödé and emoji 🙂", "");
        ServerOptions options = ServerOptions.defaults().withPort(0).withApiKey("test-key");
        try (SpotlightServer server = SpotlightServer.start(options, List.of(miniLm), List.of(stories, chat))) {
            String request = Http.JSON.writeValueAsString(Map.of("embedModel", miniLm.name(), "texts", texts,
                    "completionModel", stories.name(), "prompt", "Once upon a time", "maxTokens", 20,
                    "chatModel", chat.name(), "messages", conversation.get("context").get("messages")));
            Process node = new ProcessBuilder("node", CLIENT.toString(), "http://127.0.0.1:" + server.port(), "test-key", request)
                    .redirectErrorStream(false).start();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node finished");
            assertEquals(0, node.exitValue(), err);
            JsonNode answer = Http.JSON.readTree(out);
            float[][] expected = miniLm.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected[i], EmbeddingRoutesTest.floats(answer.get("float").get(i)), 0f, "float " + i);
                assertArrayEquals(expected[i], EmbeddingRoutesTest.floats(answer.get("base64").get(i)), 0f, "base64 " + i);
            }
            String greedy = stories.generate(List.of("Once upon a time"), GenerationOptions.greedy().withMaxNewTokens(20)
                    .withKeepStopString(false)).getFirst().text();
            assertEquals(greedy, answer.get("completion").asText());
            assertEquals(greedy, answer.get("streamed").asText());
            assertTrue(answer.get("chunks").asInt() > 2, "streamed in pieces");
            int[] chatIds = chat.encodeChatPrompt(conversation.get("output").asText());
            GenerationResult reply = chat.generateIds(List.of(chatIds), GenerationOptions.greedy().withMaxNewTokens(20)
                    .withKeepStopString(false), false, null).getFirst().result();
            assertEquals(reply.text(), answer.get("chat").asText());
            assertEquals("assistant", answer.get("chatRole").asText());
            assertEquals(chatIds.length, answer.get("chatPromptTokens").asInt());
            assertEquals(reply.text(), answer.get("chatStreamed").asText());
            assertTrue(answer.get("chatChunks").asInt() > 2, "chat streamed in pieces");
        }
    }
}
