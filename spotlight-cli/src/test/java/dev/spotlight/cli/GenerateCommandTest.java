package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.decoder.SharedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spotlight generate on the real stories260K fixture: its text is transformers.js's, and every bad input is one line. */
class GenerateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** transformers.js's greedy continuation (the fixture's hf-generate-left-padding.json). */
    private static final String ONCE = "Once upon a time, there was a little girl named Lily. She loved to play outside in"
            + " the park. One day, she saw a big, red ball.";

    @TempDir
    Path dir;

    private static String hf() {
        return SharedModels.require("stories260K").resolve("hf").toString();
    }

    @Test
    void aSinglePromptStreamsItsGreedyContinuation() {
        CliRun run = CliRun.run("generate", "--model", hf(), "--temperature", "0", "--max-new-tokens", "40", "Once upon a time");
        assertEquals(0, run.code(), run.err());
        assertEquals(ONCE + System.lineSeparator(), run.out());
        assertTrue(run.err().contains("1 prompt(s), 40 tokens generated"), run.err());
    }

    @Test
    void theLlama2cCheckpointFindsItsTokenizerAndGeneratesTheSameText() {
        Path bin = SharedModels.require("stories260K").resolve("llama2c/stories260K.bin");
        CliRun run = CliRun.run("generate", "--model", bin.toString(), "--temperature", "0", "--max-new-tokens", "40",
                "Once upon a time");
        assertEquals(0, run.code(), run.err());
        assertEquals(ONCE + System.lineSeparator(), run.out());
    }

    @Test
    void promptsFromAFileGoToJsonLinesKeepingTheirFields() throws Exception {
        Path input = dir.resolve("prompts.jsonl");
        Files.writeString(input, "{\"id\": 1, \"prompt\": \"Once upon a time\"}\n{\"id\": 2, \"prompt\": \"The cat\"}\n");
        Path output = dir.resolve("out.jsonl");
        CliRun run = CliRun.run("generate", "--model", hf(), "--temperature", "0", "--max-new-tokens", "40",
                "--stop", "ball", "--input", input.toString(), "--output", output.toString());
        assertEquals(0, run.code(), run.err());
        List<String> lines = Files.readAllLines(output);
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(1, first.get("id").asInt());
        assertEquals(ONCE.substring(0, ONCE.length() - 1), "Once upon a time" + first.get("text").asText(),
                "ends with the stop string, as transformers returns it");
        assertEquals("stop_string", first.get("finish_reason").asText());
        assertEquals("ball", first.get("stop_string").asText());
        assertEquals(5, first.get("prompt_tokens").asInt());
        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals("length", second.get("finish_reason").asText());
        assertEquals(40, second.get("generated_ids").size());
        CliRun again = CliRun.run("generate", "--model", hf(), "--input", input.toString(), "--output", output.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains(output + " exists; pass --force to overwrite it"), again.err());
    }

    @Test
    void viewWritesTheViewerWithPromptAndGeneratedTokens() throws Exception {
        Path html = dir.resolve("gen.html");
        CliRun run = CliRun.run("generate", "--model", hf(), "--temperature", "0", "--max-new-tokens", "12", "--json",
                "--view", html.toString(), "Once upon a time", "The cat");
        assertEquals(0, run.code(), run.err());
        assertEquals(2, run.out().lines().count(), run.out());
        String page = Files.readString(html);
        assertTrue(page.contains("spotlight-attention/2"), "the viewer's decoder format");
        assertTrue(page.contains("\"promptTokens\":5") && page.contains("\"kind\":\"causal\""), "prompt length and the causal pattern");
        assertTrue(run.err().contains("wrote " + html), run.err());
    }

    @Test
    void badInputsAreOneLineErrors() {
        CliRun temperature = CliRun.run("generate", "--model", hf(), "--temperature", "-1", "hi");
        assertEquals(2, temperature.code());
        assertTrue(temperature.err().startsWith("spotlight generate: temperature is -1.0, expected a number >= 0"), temperature.err());
        CliRun none = CliRun.run("generate", "--model", hf());
        assertTrue(none.err().startsWith("spotlight generate: give either prompts or --input FILE"), none.err());
        CliRun tokenizer = CliRun.run("generate", "--model", hf(), "--tokenizer", "tok.bin", "hi");
        assertTrue(tokenizer.err().startsWith("spotlight generate: --tokenizer is for llama2.c .bin checkpoints"), tokenizer.err());
        CliRun encoder = CliRun.run("generate", "--model", "all-minilm-l6-v2", "hi");
        assertEquals(2, encoder.code());
        assertTrue(encoder.err().contains("is an encoder, not a causal language model"), encoder.err());
        assertEquals(1, encoder.err().lines().count(), encoder.err());
        // the viewer is a web page: a name that says otherwise is refused before the model loads
        CliRun png = CliRun.run("generate", "--model", hf(), "--view", dir.resolve("out.png").toString(), "hi");
        assertEquals(2, png.code());
        assertTrue(png.err().startsWith("spotlight generate: --view " + dir.resolve("out.png") + ": the viewer is an HTML page;"
                + " give a file name ending in .html"), png.err());
    }

    /**
     * The viewer embeds [layers, heads, n, n] per sequence and holds at most 2^26 values, 1,295 tokens of
     * stories260K's 5 × 8 heads: a generation that could pass it is refused before it runs (here the
     * context is raised to 4,096 so that it can), naming how many new tokens fit.
     */
    @Test
    void aViewTooLongForTheViewerIsRefusedBeforeGenerating() throws Exception {
        Path model = Files.createDirectories(dir.resolve("long-context"));
        try (var files = Files.list(Path.of(hf()))) {
            for (Path f : files.toList()) {
                Files.copy(f, model.resolve(f.getFileName()));
            }
        }
        Path config = model.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"max_position_embeddings\": 512",
                "\"max_position_embeddings\": 4096"));
        Path html = dir.resolve("long.html");
        CliRun run = CliRun.run("generate", "--model", model.toString(), "--temperature", "0", "--max-new-tokens", "3000",
                "--view", html.toString(), "Once upon a time");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().startsWith("spotlight generate: --view: prompt 0 has 5 tokens and may grow to 3005, but the viewer"
                + " shows at most 1295 tokens of long-context (5 layers × 8 heads of attention per token pair): pass"
                + " --max-new-tokens 1290 or fewer, or drop --view"), run.err());
        assertEquals("", run.out(), "nothing was generated");
        assertTrue(Files.notExists(html));
    }

    @Test
    void chatRendersTheModelsTemplateAroundThePromptAndPrintsOnlyTheReply() throws Exception {
        Path model = dev.spotlight.models.chat.ChatFixtures.storiesWithChatTemplate(dir.resolve("stories-chat"),
                dev.spotlight.models.chat.ChatFixtures.template("llama2_chat"));
        JsonNode golden = dev.spotlight.models.chat.ChatFixtures.storiesCase("cli_system_user");
        CliRun run = CliRun.run("generate", "--model", model.toString(), "--chat", "--system", "Be brief.", "--temperature", "0",
                "--max-new-tokens", "16", "--json", "Lily went to the park");
        assertEquals(0, run.code(), run.err());
        JsonNode row = JSON.readTree(run.out());
        assertEquals("Lily went to the park", row.get("prompt").asText());
        assertEquals(golden.get("output").asText(), row.get("chat_prompt").asText(), "Python jinja2's rendering");
        var lm = dev.spotlight.models.Spotlight.causalLM(model.toString());
        int[] ids = lm.encodeChatPrompt(golden.get("output").asText());
        var expected = lm.generateIds(List.of(ids), dev.spotlight.models.generation.GenerationOptions.greedy().withMaxNewTokens(16),
                false, null).getFirst().result();
        assertEquals(ids.length, row.get("prompt_tokens").asInt(), "no second BOS");
        assertEquals(expected.text(), row.get("text").asText());
        CliRun streamed = CliRun.run("generate", "--model", model.toString(), "--chat", "--system", "Be brief.", "--temperature", "0",
                "--max-new-tokens", "16", "Lily went to the park");
        assertEquals(expected.text() + System.lineSeparator(), streamed.out(), "only the reply is printed");
    }

    @Test
    void chatErrorsAreOneLine() {
        CliRun noTemplate = CliRun.run("generate", "--model", hf(), "--chat", "Hi");
        assertEquals(1, noTemplate.err().lines().count(), noTemplate.err());
        assertTrue(noTemplate.err().contains("has no chat_template"), noTemplate.err());
        CliRun systemAlone = CliRun.run("generate", "--model", hf(), "--system", "x", "Hi");
        assertTrue(systemAlone.err().contains("--system sets the system message of a chat: add --chat"), systemAlone.err());
    }
}
