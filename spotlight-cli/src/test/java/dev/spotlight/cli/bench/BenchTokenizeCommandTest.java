package dev.spotlight.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.cli.SpotlightCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchTokenizeCommandTest {
    @TempDir
    Path dir;

    @Test
    void everyModeReportsThroughputAndTheSameTokenCount() throws IOException {
        Path tokenizer = miniLmTokenizer();
        Path lines = dir.resolve("lines.txt");
        Files.write(lines, IntStream.range(0, 25).mapToObj(i -> "Line " + i + ": the quick brown fox, again and again.").toList());

        Run run = run("bench", "tokenize", "--tokenizer", tokenizer.toString(), "--lines", lines.toString(),
                "--threads", "2", "--batch", "7", "--repeat", "1", "--warmup", "0.05");

        assertEquals(0, run.exitCode(), run.err());
        for (String mode : List.of("encode, 1 thread", "encodeBatch, 1 thread", "encodeBatch, 2 threads")) {
            assertTrue(run.out().contains(mode), run.out());
        }
        // padding is off, so per-line and batched encoding must produce exactly the same tokens
        Matcher m = Pattern.compile("\\((\\d+) tokens\\)").matcher(run.out());
        List<String> counts = m.results().map(r -> r.group(1)).distinct().toList();
        assertEquals(1, counts.size(), run.out());
        assertTrue(Integer.parseInt(counts.get(0)) > 25 * 10, run.out());
    }

    @Test
    void nonPositiveRepeatIsRejectedWithTheOptionNamed() throws IOException {
        Path lines = Files.writeString(dir.resolve("lines.txt"), "hello\n");
        Run run = run("bench", "tokenize", "--tokenizer", miniLmTokenizer().toString(), "--lines", lines.toString(), "--repeat", "0");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--repeat 0"), run.err());
    }

    @Test
    void aWarmupOutsideItsRangeIsRejectedWithTheValue() throws IOException {
        Path lines = Files.writeString(dir.resolve("lines.txt"), "hello\n");
        for (String bad : List.of("-1", "601", "NaN")) {
            Run run = run("bench", "tokenize", "--tokenizer", miniLmTokenizer().toString(), "--lines", lines.toString(),
                    "--warmup", bad);
            assertEquals(2, run.exitCode(), bad);
            assertTrue(run.err().contains("--warmup " + Double.parseDouble(bad) + ": expected 0..600 seconds"), run.err());
        }
    }

    @Test
    void missingLinesFileIsNamedInTheError() throws IOException {
        Path missing = dir.resolve("nope.txt");
        Run run = run("bench", "tokenize", "--tokenizer", miniLmTokenizer().toString(), "--lines", missing.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains(missing.toString()), run.err());
    }

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = SpotlightCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The default model's jar (a runtime dependency of the CLI) carries its tokenizer.json. */
    private Path miniLmTokenizer() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.exists(file)) {
            try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
