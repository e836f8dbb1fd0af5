package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No raw Java exception message reaches the user; a command fails with one printable line that says what went wrong. */
class UserErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    @TempDir
    Path dir;

    @Test
    void theJdksTerseMessagesBecomeSentences() {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xE9}));
        } catch (java.nio.charset.CharacterCodingException e) {
            assertEquals("the input is not UTF-8 text", UserErrors.message(e));
        }
        assertEquals("out.html: already exists", UserErrors.message(new UncheckedIOException(new FileAlreadyExistsException("out.html"))));
        assertEquals("m/x: no such file or directory", UserErrors.message(new NoSuchFileException("m/x")));
        assertEquals("\"a\\u0000b\" is not a valid path: Nul character not allowed",
                UserErrors.message(new InvalidPathException("a\0b", "Nul character not allowed")));
        assertTrue(UserErrors.message(new OutOfMemoryError("Java heap space")).startsWith("out of memory: the Java heap ("));
    }

    @Test
    void implicitJvmExceptionsAreReportedAsBugsNotWithTheirMessage() {
        try {
            Integer.parseInt("x");
        } catch (NumberFormatException e) {
            assertTrue(UserErrors.message(e).startsWith("unexpected NumberFormatException in UserErrorsTest.implicitJvm"), UserErrors.message(e));
            assertTrue(UserErrors.message(e).endsWith("; this is a bug in spotlight: run again with SPOTLIGHT_DEBUG=1 and report the"
                    + " trace it prints"), UserErrors.message(e));
        }
        int[] empty = new int[0];
        try {
            System.out.println(empty[1]);
        } catch (ArrayIndexOutOfBoundsException e) {
            assertTrue(UserErrors.message(e).startsWith("unexpected ArrayIndexOutOfBoundsException in UserErrorsTest."), UserErrors.message(e));
        }
    }

    @Test
    void messagesWrittenForTheUserPassThroughWithControlCharactersEscaped() {
        assertEquals("t.json: $.model: bad \\u0000 name \\u001b[31m", UserErrors.message(
                new dev.spotlight.tokenizers.TokenizerException("t.json: $.model: bad \0 name \u001b[31m")));
        assertEquals("--lines f: cannot read", UserErrors.message(new IllegalArgumentException("--lines f: cannot read")));
    }

    @Test
    void aBinaryInputFileNamesTheLineAndByte() throws Exception {
        Path input = dir.resolve("texts.txt");
        Files.write(input, new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        CliRun run = CliRun.run("embed", "--input", input.toString(), "--output", dir.resolve("o.jsonl").toString());
        assertEquals(2, run.code());
        assertEquals("spotlight: --input " + input + ": line 2 is not UTF-8 text (byte 0xE9 at offset 6); convert it first,"
                + " e.g. iconv -f latin1 -t utf-8\n", run.err().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void dashReadsStandardInputAndWritesStandardOutput() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("Hello world\nDogs bark.\n".getBytes()));
            CliRun run = CliRun.run("embed", "--input", "-", "--output", "-");
            assertEquals(0, run.code(), run.err());
            List<String> lines = run.out().lines().toList();
            assertEquals(2, lines.size(), run.out());
            assertEquals("Dogs bark.", JSON.readTree(lines.get(1)).get("text").asText());
            assertEquals(384, JSON.readTree(lines.get(0)).get("embedding").size());
            assertTrue(Files.notExists(Path.of("-")), "no file named -");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void aShardNameWithANulIsOneEscapedLine() throws Exception {
        Path model = Files.createDirectory(dir.resolve("m"));
        Files.writeString(model.resolve("config.json"), "{\"model_type\": \"bert\", \"vocab_size\": 4, \"hidden_size\": 4,"
                + " \"num_hidden_layers\": 1, \"num_attention_heads\": 1, \"intermediate_size\": 4}");
        Files.writeString(model.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}, \"unk_token\": \"a\"}}");
        Files.writeString(model.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"w\": \"s\\u0000.safetensors\"}}");
        CliRun run = CliRun.run("embed", "--model", model.toString(), "a");
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("spotlight: ") && run.err().contains("s\\u0000.safetensors"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().chars().noneMatch(c -> c == 0), "no NUL reaches stderr");
    }

    @Test
    void convertToAnExistingFileSaysItIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("out"), "mine");
        CliRun run = CliRun.run("convert", "all-minilm-l6-v2", "--to", file.toString());
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("spotlight convert: --to " + file + " is a file; give the folder to write the model into"),
                run.err());
        assertEquals("mine", Files.readString(file));
    }
}
