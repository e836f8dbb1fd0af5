package dev.spotlight.models.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.ModelException;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.decoder.SharedModels;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.tokenizers.EncodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CausalLM's chat templates on the real stories260K model, with the Llama 2 template added to a copy of it. */
class CausalLMChatTest {
    @TempDir
    Path tmp;

    private CausalLM storiesWith(Object chatTemplate) {
        return Spotlight.causalLM(ChatFixtures.storiesWithChatTemplate(tmp.resolve("stories"), chatTemplate).toString());
    }

    @Test
    void applyChatTemplateEqualsPythonJinja2ForTheFixtureConversations() {
        CausalLM model = storiesWith(ChatFixtures.template("llama2_chat"));
        assertTrue(model.hasChatTemplate());
        for (String conversation : List.of("system_user", "multi_turn", "cli_system_user")) {
            var golden = ChatFixtures.storiesCase(conversation);
            assertEquals(golden.get("output").asText(), model.applyChatTemplate(ChatFixtures.messages(golden.get("context")), true));
        }
    }

    @Test
    void chatPromptIdsCarryTheTemplatesBosOnlyOnce() {
        CausalLM model = storiesWith(ChatFixtures.template("llama2_chat"));
        String prompt = ChatFixtures.storiesCase("multi_turn").get("output").asText();
        int[] ids = model.encodeChatPrompt(prompt);
        assertArrayEquals(model.tokenizer().encode(prompt, null, new EncodeOptions(false, null, null)).ids(), ids);
        assertEquals(1, ids[0], "the template's <s> is BOS");
        assertEquals(2, Arrays.stream(ids).filter(id -> id == 1).count(), "one <s> per user turn, as the text has, and no more");
        int[] withSpecials = model.encode(prompt);
        assertEquals(ids.length + 1, withSpecials.length, "plain encode would add a second BOS; chat prompts must not");
    }

    @Test
    void aChatPromptGeneratesFromExactlyItsIds() {
        CausalLM model = storiesWith(ChatFixtures.template("llama2_chat"));
        int[] ids = model.encodeChatPrompt(ChatFixtures.storiesCase("system_user").get("output").asText());
        var result = model.generateIds(List.of(ids), GenerationOptions.greedy().withMaxNewTokens(3), false, null).getFirst().result();
        assertArrayEquals(ids, result.promptIds(), "no BOS added to a chat prompt");
        float[] logits = model.logits(List.of(ids))[0];  // [length, vocab]
        int vocab = model.config().vocabSize();
        int best = 0;
        for (int v = 1; v < vocab; v++) {
            if (logits[(ids.length - 1) * vocab + v] > logits[(ids.length - 1) * vocab + best]) {
                best = v;
            }
        }
        assertEquals(best, result.generatedIds()[0], "the first token is the argmax after exactly these ids");
    }

    @Test
    void aModelWithoutATemplateRefusesChatWithAOneLineReason() {
        CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString());
        assertFalse(model.hasChatTemplate());
        ModelException e = assertThrows(ModelException.class, () -> model.applyChatTemplate(List.of(ChatMessage.of("user", "Hi")), true));
        assertTrue(e.getMessage().contains("tokenizer_config.json has no chat_template"), e.getMessage());
    }

    @Test
    void namedTemplatesChooseToolUseWithToolsAndDefaultOtherwise() {
        CausalLM model = storiesWith(List.of(Map.of("name", "default", "template", "D:{{ messages[0].content }}"),
                Map.of("name", "tool_use", "template", "T:{{ tools | length }}")));
        List<ChatMessage> hi = List.of(ChatMessage.of("user", "Hi"));
        assertEquals("D:Hi", model.applyChatTemplate(hi, false));
        assertEquals("T:1", model.applyChatTemplate(hi, List.of(Map.of("type", "function")), false, Map.of()));
        CausalLM noDefault = Spotlight.causalLM(ChatFixtures.storiesWithChatTemplate(tmp.resolve("other"),
                List.of(Map.of("name", "rag", "template", "x"))).toString());
        ModelException e = assertThrows(ModelException.class, () -> noDefault.applyChatTemplate(hi, false));
        assertTrue(e.getMessage().contains("none named \"default\": [rag]"), e.getMessage());
    }

    @Test
    void specialTokensReachTheTemplateAsTransformersPassesThem() {
        CausalLM model = storiesWith("{{ bos_token }}|{{ eos_token }}|{{ unk_token }}|{{ pad_token }}|{{ sep_token is defined }}"
                + "|{{ add_generation_prompt }}|{{ tools }}|{{ documents }}|{{ enable_thinking }}");
        assertEquals("<s>|</s>|<unk>|<unk>|False|True|None|None|False",
                model.applyChatTemplate(List.of(ChatMessage.of("user", "x")), null, true, Map.of("enable_thinking", false)));
    }

    @Test
    void chatTemplateJinjaOverridesTheConfigsTemplate() throws Exception {
        Path dir = ChatFixtures.storiesWithChatTemplate(tmp.resolve("jinja"), "from config");
        Files.writeString(dir.resolve("chat_template.jinja"), "from file {{ messages | length }}\n");
        assertEquals("from file 1", Spotlight.causalLM(dir.toString()).applyChatTemplate(List.of(ChatMessage.of("user", "x")), false));
    }

    @Test
    void aTemplateThatDoesNotParseLeavesCompletionsWorkingAndChatNamesTheLine() {
        CausalLM model = storiesWith("{% for m in messages %}\n{% include 'other.jinja' %}\n{% endfor %}");
        assertEquals(1, model.generate(List.of("Once"), GenerationOptions.greedy().withMaxNewTokens(2)).size());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> model.applyChatTemplate(List.of(ChatMessage.of("user", "x")), true));
        assertTrue(e.getMessage().matches(".*tokenizer_config\\.json chat_template line 2: the \\{% include %\\} tag is not supported.*"),
                e.getMessage());
    }

    @Test
    void theTemplatesRefusalReachesTheCallerVerbatim() {
        CausalLM model = storiesWith(ChatFixtures.template("llama2_chat"));
        ModelException e = assertThrows(ModelException.class, () -> model.applyChatTemplate(
                List.of(ChatMessage.of("user", "a"), ChatMessage.of("user", "b")), true));
        assertTrue(e.getMessage().endsWith("line 1: the template refused the conversation: "
                + "Conversation roles must alternate user/assistant/user/assistant/..."), e.getMessage());
    }
}
