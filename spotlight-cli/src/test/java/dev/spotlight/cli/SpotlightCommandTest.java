package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpotlightCommandTest {

    @Test
    void anUnknownOptionIsOneErrorLineAndAPointerToHelpNotTheWholeUsage() {
        CliRun run = CliRun.run("view", "--formt", "svg", "hello");
        assertEquals(2, run.code());
        assertEquals("""
                spotlight view: Unknown option: '--formt'
                Possible solutions: --force, --format
                Try 'spotlight view --help' for usage.
                """, run.err().replace(System.lineSeparator(), "\n"));
        assertFalse(run.out().contains("Usage:"), run.out());
    }

    @Test
    void aBadValueNamesTheOptionAndTheValue() {
        CliRun run = CliRun.run("view", "--format", "gif", "hello");
        assertEquals(2, run.code());
        assertEquals("""
                spotlight view: --format gif: expected html, png, svg or ansi
                Try 'spotlight view --help' for usage.
                """, run.err().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aMissingArgumentSaysWhichOne() {
        CliRun run = CliRun.run("similarity", "only one");
        assertEquals(2, run.code());
        assertEquals("spotlight similarity: Missing required parameter: 'B'\nTry 'spotlight similarity --help' for usage.\n",
                run.err().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void aGroupCommandWithoutItsSubcommandListsThem() {
        CliRun run = CliRun.run("bench");
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("Usage: spotlight bench"), run.err());
        assertTrue(run.err().contains("gemm"), run.err());
    }

    @Test
    void aMistypedSubcommandGetsASuggestion() {
        CliRun run = CliRun.run("viwe", "hello");
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("spotlight: Unmatched arguments from index 0: 'viwe', 'hello'"), run.err());
        assertTrue(run.err().contains("Did you mean: spotlight view?"), run.err());
    }
}
