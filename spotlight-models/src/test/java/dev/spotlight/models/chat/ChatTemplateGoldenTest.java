package dev.spotlight.models.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of goldens/chat/chat_goldens.json, which Python's jinja2 3.1.2 rendered with transformers'
 * environment (generate_chat_goldens.py): 19 real hub templates over 14 conversations (and tool rounds for
 * the 5 templates with tools), add_generation_prompt both ways, and 151 feature snippets, syntax errors among them. Each output must
 * equal Python's byte for byte; where Python failed, the render must fail too, and with raise_exception's
 * exact message.
 */
class ChatTemplateGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode goldens() throws IOException {
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream("/goldens/chat/chat_goldens.json")) {
            return JSON.readTree(in);
        }
    }

    static Clock clock(JsonNode goldens) {
        ZoneId zone = ZoneId.systemDefault();
        return Clock.fixed(LocalDateTime.parse(goldens.get("now").asText()).atZone(zone).toInstant(), zone);
    }

    @TestFactory
    List<DynamicTest> everyCaseRendersExactlyAsPythonJinja2() throws IOException {
        JsonNode goldens = goldens();
        Clock clock = clock(goldens);
        Map<String, ChatTemplate> parsed = new HashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode c : goldens.get("cases")) {
            String name = c.get("template").asText();
            String label = (i++) + " " + name + " / " + c.get("conversation").asText() + " / agp="
                    + c.get("context").get("add_generation_prompt").asBoolean() + extras(c.get("context"));
            tests.add(DynamicTest.dynamicTest(label, () -> {
                Map<String, Object> vars = new LinkedHashMap<>();
                c.get("context").properties().forEach(e -> vars.put(e.getKey(), e.getValue()));
                if (c.has("output")) {
                    ChatTemplate t = parsed.computeIfAbsent(name, n -> ChatTemplate.parse(goldens.get("templates").get(n).asText(), n));
                    assertEquals(c.get("output").asText(), t.render(vars, clock));
                } else {
                    // jinja2 refuses some templates when compiling them (syntax errors, unknown filters): so may the parser
                    ModelException e = assertThrows(ModelException.class, () -> ChatTemplate.parse(goldens.get("templates").get(name).asText(), name)
                            .render(vars, clock), "Python failed with " + c.get("error").asText());
                    assertTrue(e.getMessage().startsWith(name + " line "), e.getMessage());
                    assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
                    if (c.get("error").asText().equals("TemplateError")) {
                        assertTrue(e.getMessage().endsWith(": the template refused the conversation: " + c.get("message").asText()),
                                e.getMessage());
                    }
                }
            }));
        }
        return tests;
    }

    private static String extras(JsonNode context) {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("enable_thinking", "date_string", "tools_in_user_message")) {
            if (context.has(k)) {
                sb.append(' ').append(k).append('=').append(context.get(k).asText());
            }
        }
        return sb.toString();
    }

    @Test
    void theCorpusCoversEveryRequiredTemplateFamily() throws IOException {
        JsonNode templates = goldens().get("templates");
        for (String family : List.of("llama2_chat", "llama3_instruct", "llama3_2_instruct", "mistral_7b_instruct_v0_1",
                "mixtral_8x7b_instruct_v0_1", "qwen2_5_instruct", "qwen3", "smollm2_instruct", "phi3_5_mini_instruct",
                "gemma2_it", "gemma3_it", "deepseek_r1_distill_llama", "zephyr_7b_beta", "chatml")) {
            assertTrue(templates.has(family), family);
        }
    }
}
