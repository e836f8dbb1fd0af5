package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code view}'s option values are checked before the model loads; the output's format follows its name. */
class ViewOptionsTest {

    static {
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    @TempDir
    Path dir;

    @Test
    void outNamedPngWithoutFormatWritesAPng() throws Exception {
        Path png = dir.resolve("x.png");
        CliRun run = CliRun.run("view", "--out", png.toString(), "--layer", "0", "The cat sat.");
        assertEquals(0, run.code(), run.err());
        byte[] magic = Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, magic);
    }

    @Test
    void anOutNameThatSaysNoFormatOrAnotherOneIsRefused() {
        CliRun unknown = CliRun.run("view", "--out", dir.resolve("x.txt").toString(), "hello");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("spotlight view: --out " + dir.resolve("x.txt") + ": cannot tell the format from the"
                + " file name; name it .html, .png or .svg, or give --format html, png or svg"), unknown.err());
        CliRun mismatch = CliRun.run("view", "--format", "html", "--out", dir.resolve("x.png").toString(), "hello");
        assertEquals(2, mismatch.code());
        assertTrue(mismatch.err().startsWith("spotlight view: --format html does not match --out " + dir.resolve("x.png")
                + ": give a file name ending in .html"), mismatch.err());
        assertTrue(Files.notExists(dir.resolve("x.png")) && Files.notExists(dir.resolve("x.txt")));
    }

    @Test
    void aFlowLimitOutsideWhatFinishesIsRefusedWithTheTimeItWouldTake() {
        CliRun big = CliRun.run("view", "--flow-max-tokens", "512", "--out", dir.resolve("a.html").toString(), "hello");
        assertEquals(2, big.code());
        assertTrue(big.err().startsWith("spotlight view: --flow-max-tokens 512: expected 0..128 (attention flow runs one max-flow"
                + " per token pair, work that grows as N⁴: 512 tokens would take about 71 minutes over 6 layers)"), big.err());
        CliRun negative = CliRun.run("view", "--flow-max-tokens", "-1", "--out", dir.resolve("a.html").toString(), "hello");
        assertEquals(2, negative.code());
        assertTrue(negative.err().startsWith("spotlight view: --flow-max-tokens -1: expected 0..128 (0: no attention flow)"
                + System.lineSeparator()), negative.err());
    }
}
