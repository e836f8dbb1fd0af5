package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    @TempDir
    Path dir;

    @Test
    void fileInputWritesOneEmbeddingPerLineEqualToTheLibrarys() throws Exception {
        Path input = dir.resolve("texts.jsonl");
        Files.writeString(input, "{\"id\": 7, \"text\": \"The cat sat on the mat.\"}\n\n{\"id\": 8, \"text\": \"Dogs bark.\"}\n");
        Path output = dir.resolve("out.jsonl");
        CliRun run = CliRun.run("embed", "--input", input.toString(), "--output", output.toString());
        assertEquals(0, run.code(), run.err());
        List<String> lines = Files.readAllLines(output);
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(7, first.get("id").asInt(), "the input's own fields are kept");
        assertEquals(384, first.get("embedding").size());
        try (EncoderModel model = Spotlight.load()) {
            float[] expected = model.embed("The cat sat on the mat.");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], (float) first.get("embedding").get(i).asDouble(), 0f);
            }
        }
        assertTrue(run.err().contains("2/2 texts") && run.err().contains("wrote 2 embeddings"), run.err());
        assertTrue(Files.notExists(dir.resolve("out.jsonl.partial")));
    }

    @Test
    void everyLineOfATextFileIsATextSoOutputLinesMatchInputLines() throws Exception {
        Path input = dir.resolve("texts.txt");
        Files.writeString(input, "one\n\n  \ntwo\n");
        Path output = dir.resolve("out.jsonl");
        CliRun run = CliRun.run("embed", "--input", input.toString(), "--output", output.toString());
        assertEquals(0, run.code(), run.err());
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            texts.add(JSON.readTree(line).get("text").asText());
        }
        assertEquals(List.of("one", "", "  ", "two"), texts);
    }

    @Test
    void anExistingOutputIsKeptUnlessForced() throws Exception {
        Path input = dir.resolve("texts.txt");
        Files.writeString(input, "one\ntwo\n");
        Path output = dir.resolve("out.jsonl");
        Files.writeString(output, "precious");
        CliRun refused = CliRun.run("embed", "--input", input.toString(), "--output", output.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("exists; pass --force"), refused.err());
        assertEquals("precious", Files.readString(output));
        assertEquals(0, CliRun.run("embed", "--input", input.toString(), "--output", output.toString(), "--force").code());
        assertEquals(2, Files.readAllLines(output).size());
    }

    @Test
    void textsWithOutputGoToTheFileNotToTheTerminal() throws Exception {
        Path output = dir.resolve("new/sub/vectors.jsonl");
        CliRun run = CliRun.run("embed", "Hello world", "Dogs bark.", "--output", output.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.out());
        List<String> lines = Files.readAllLines(output);
        assertEquals(2, lines.size());
        assertEquals("Dogs bark.", JSON.readTree(lines.get(1)).get("text").asText());
        try (EncoderModel model = Spotlight.load()) {
            float[] expected = model.embed("Hello world");
            JsonNode got = JSON.readTree(lines.get(0)).get("embedding");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], (float) got.get(i).asDouble(), 0f);
            }
        }
    }

    @Test
    void directoriesWhereFilesBelongAreNamed() throws Exception {
        CliRun input = CliRun.run("embed", "--input", dir.toString(), "--output", dir.resolve("o.jsonl").toString());
        assertEquals(2, input.code());
        assertTrue(input.err().contains("--input " + dir + " is a directory; give a .txt or .jsonl file"), input.err());
        CliRun output = CliRun.run("embed", "text", "--output", dir.toString(), "--force");
        assertEquals(2, output.code());
        assertTrue(output.err().contains("--output " + dir + " is a directory; give a file name"), output.err());
        assertTrue(Files.isDirectory(dir));
        Path aFile = Files.writeString(dir.resolve("plain"), "x");
        CliRun underFile = CliRun.run("embed", "text", "--output", aFile.resolve("o.jsonl").toString());
        assertEquals(2, underFile.code());
        assertTrue(underFile.err().contains(aFile + " is a file, not a directory"), underFile.err());
        assertEquals("x", Files.readString(aFile));
    }

    @Test
    void aBadJsonlLineIsNamedByFileAndLine() throws Exception {
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, "{\"text\": \"fine\"}\n{\"txt\": \"typo\"}\n");
        CliRun run = CliRun.run("embed", "--input", input.toString(), "--output", dir.resolve("o.jsonl").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("bad.jsonl:2: expected an object with a string \"text\""), run.err());
        assertTrue(Files.notExists(dir.resolve("o.jsonl")));
    }

    @Test
    void similarityOfATextWithItselfIsOne() {
        CliRun same = CliRun.run("similarity", "a red apple", "a red apple");
        assertEquals("1.0000", same.out().strip(), same.err());
        CliRun different = CliRun.run("similarity", "a red apple", "quarterly tax filing deadlines");
        double cosine = Double.parseDouble(different.out().strip());
        assertTrue(cosine < 0.5, "unrelated texts: " + cosine);
    }
}
