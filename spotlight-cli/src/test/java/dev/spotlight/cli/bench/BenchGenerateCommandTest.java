package dev.spotlight.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code spotlight bench generate} on the real tiny Llama stories260K (../shared/models), with tiny settings. */
class BenchGenerateCommandTest {

    @Test
    void printsPrefillDecodeAndTheBandwidthLimit() {
        CliRun run = CliRun.run("bench", "generate", "--model", stories260k().toString(), "--prompt-tokens", "16",
                "--new-tokens", "4", "--sequences", "3", "--threads", "2", "--repeat", "1");

        assertEquals(0, run.code(), run.err());
        assertTrue(positive(run.out(), "prefill, 16-token prompt\\s+([0-9.]+) tokens/s"), run.out());
        assertTrue(positive(run.out(), "decode, 1 sequence \\(3 steps\\)\\s+([0-9.]+) tokens/s"), run.out());
        assertTrue(positive(run.out(), "decode, 3 sequences together\\s+([0-9.]+) tokens/s"), run.out());
        assertTrue(positive(run.out(), "read bandwidth ([0-9.]+) GB/s"), run.out());
        // stories260K's matrices: 5 layers of 2·64·64 + 2·32·64 + 3·64·172, and the tied 512·64 head, in f32
        long bytes = 4L * (5 * (2 * 64 * 64 + 2 * 32 * 64 + 3 * 64 * 172) + 512 * 64);
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "reads %.1f MB", bytes / 1e6)), run.out());
    }

    @Test
    void tooFewNewTokensAreRejectedWithTheOptionNamed() {
        CliRun run = CliRun.run("bench", "generate", "--model", stories260k().toString(), "--new-tokens", "1");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--new-tokens 1: expected at least 2"), run.err());
    }

    @Test
    void aPromptLongerThanTheContextIsRejectedWithTheContextNamed() {
        CliRun run = CliRun.run("bench", "generate", "--model", stories260k().toString(), "--prompt-tokens", "600");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("the model's context is 512 positions"), run.err());
    }

    @Test
    void aMissingFolderIsNamedInTheError() {
        CliRun run = CliRun.run("bench", "generate", "--model", "/nonexistent/model");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--model /nonexistent/model: not a folder"), run.err());
    }

    private static boolean positive(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() && Double.parseDouble(m.group(1)) > 0;
    }

    /** ../shared/models/stories260K/hf beside the repository (skipped with the reason, or failed under CI, when absent). */
    private static Path stories260k() {
        return dev.spotlight.models.decoder.SharedModels.require("stories260K").resolve("hf");
    }
}
