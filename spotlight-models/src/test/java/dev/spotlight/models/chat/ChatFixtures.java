package dev.spotlight.models.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.decoder.SharedModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat fixtures for this module's and the server's tests: the Python goldens (goldens/chat), and copies of
 * the stories260K fixture (which has no chat template) with a template added to its tokenizer_config.json.
 */
public final class ChatFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode goldens;

    private ChatFixtures() {
    }

    public static synchronized JsonNode goldens() {
        if (goldens == null) {
            try (InputStream in = ChatFixtures.class.getResourceAsStream("/goldens/chat/chat_goldens.json")) {
                goldens = JSON.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return goldens;
    }

    /** A real template of the corpus by its name in templates.json, e.g. "llama2_chat". */
    public static String template(String name) {
        return goldens().get("templates").get(name).asText();
    }

    /** A stories260K conversation rendered by Python with the Llama 2 template: its context and "output". */
    public static JsonNode storiesCase(String conversation) {
        for (JsonNode c : goldens().get("stories260K_llama2_chat")) {
            if (c.get("conversation").asText().equals(conversation)) {
                return c;
            }
        }
        throw new IllegalArgumentException(conversation);
    }

    public static List<ChatMessage> messages(JsonNode context) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : context.get("messages")) {
            Map<String, Object> fields = new LinkedHashMap<>();
            m.properties().forEach(e -> fields.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
            out.add(new ChatMessage(fields));
        }
        return out;
    }

    /** A copy of stories260K's hf folder in {@code dir} whose tokenizer_config.json has {@code chatTemplate} (a string or list). */
    public static Path storiesWithChatTemplate(Path dir, Object chatTemplate) {
        try {
            Path hf = SharedModels.require("stories260K").resolve("hf");
            Files.createDirectories(dir);
            try (var files = Files.list(hf)) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
            config.set("chat_template", JSON.valueToTree(chatTemplate));
            JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
