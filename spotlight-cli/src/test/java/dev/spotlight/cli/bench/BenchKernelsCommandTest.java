package dev.spotlight.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.cli.SpotlightCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchKernelsCommandTest {
    @Test
    void gemmPrintsOneLineEndingInItsRate() {
        String[] out = run("bench", "gemm", "--m", "3", "--n", "5", "--k", "7", "--threads", "1", "--seconds", "0.01");
        assertEquals(0, Integer.parseInt(out[0]), out[2]);
        String line = out[1].strip();
        assertTrue(line.matches("gemm m=3 n=5 k=7 threads=1 GFLOP/s \\d+\\.\\d"), line);
    }

    @Test
    void gemmRejectsAnEmptyShape() {
        String[] out = run("bench", "gemm", "--m", "0", "--seconds", "0.01");
        assertEquals(2, Integer.parseInt(out[0]));
        assertTrue(out[2].contains("m, n and k must be >= 1, found m=0"), out[2]);
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpotlightCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
