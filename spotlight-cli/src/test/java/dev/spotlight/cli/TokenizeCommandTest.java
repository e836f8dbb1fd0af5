package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenizeCommandTest {
    private static final String TOKENIZER = """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [{"id": 1, "content": "[CLS]", "special": true}, {"id": 2, "content": "[SEP]", "special": true},
                              {"id": 3, "content": "[PAD]", "special": true}],
             "normalizer": null, "pre_tokenizer": {"type": "WhitespaceSplit"},
             "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 2], "cls": ["[CLS]", 1]}, "decoder": null,
             "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3, "a": 4, "b": 5}, "unk_token": "[UNK]"}}
            """;

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run run(String stdin, String... args) {
        CommandLine cli = SpotlightCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    private Path tokenizer() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, TOKENIZER);
        return file;
    }

    @Test
    void printsATablePerTextAndThePaddedBatch() throws Exception {
        Run r = run("", "tokenize", "--tokenizer", tokenizer().toString(), "a b", "b", "--padding", "longest", "--pad-left");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("text 1: \"a b\""), r.out());
        assertTrue(r.out().matches("(?s).*\"\\[CLS]\"\\s+1\\s+\\(0, 0\\).*\"b\"\\s+5\\s+\\(2, 3\\)\\s+1\\s+0.*"), r.out());
        assertTrue(r.out().contains("ids:\n  [1, 4, 5, 2]\n  [0, 1, 5, 2]\nattention_mask:\n  [1, 1, 1, 1]\n  [0, 1, 1, 1]\n"), r.out());
    }

    @Test
    void jsonlAnswersEachLineAndAnErrorOnlyItsOwn() throws Exception {
        Run r = run("{\"texts\": [\"a\"]}\n{\"texts\": 5}\n{\"pairs\": [[\"a\", \"b\"]], \"add_special_tokens\": false}\n",
                "tokenize", "--tokenizer", tokenizer().toString(), "--jsonl");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("{\"encodings\":[{\"ids\":[1,4,2],"), lines[0]);
        assertEquals("{\"error\":\"request: $.texts: expected an array, found 5\"}", lines[1]);
        assertTrue(lines[2].contains("\"type_ids\":[0,1]"), lines[2]);
    }

    @Test
    void aBadTokenizerFileIsOneLine() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": ");
        Run r = run("", "tokenize", "--tokenizer", bad.toString(), "a");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("spotlight: " + bad + ": not valid JSON"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
