package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The serve commands' bad options: one line, exit 2, before any model loads or any port opens. */
class ServeCommandTest {

    @Test
    void badServerOptionsAreOneLineErrors() {
        CliRun run = CliRun.run("serve", "--batch-tokens", "0");
        assertEquals(2, run.code());
        assertEquals("spotlight: batch tokens is 0, expected >= 1", run.err().strip());
        CliRun port = CliRun.run("serve", "--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("port is 70000, expected 0..65535"), port.err());
        CliRun bench = CliRun.run("bench", "serve", "--sentences", "10");
        assertEquals(2, bench.code());
        assertTrue(bench.err().contains("--sentences 10: expected 64..2048"), bench.err());
    }
}
