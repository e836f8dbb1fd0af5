package dev.spotlight.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.cli.CliRun;
import org.junit.jupiter.api.Test;

class BenchKernelsCommandTest {
    @Test
    void gemmPrintsOneLineEndingInItsRate() {
        CliRun run = CliRun.run("bench", "gemm", "--m", "3", "--n", "5", "--k", "7", "--threads", "1", "--seconds", "0.01");
        assertEquals(0, run.code(), run.err());
        String line = run.out().strip();
        assertTrue(line.matches("gemm m=3 n=5 k=7 threads=1 precision=f32 pack ms \\d+\\.\\d GFLOP/s \\d+\\.\\d"), line);
    }

    @Test
    void coldGemmAlsoPrintsTheWeightsBandwidth() {
        CliRun run = CliRun.run("bench", "gemm", "--m", "1", "--n", "512", "--k", "512", "--threads", "1", "--seconds", "0.01",
                "--cold");
        assertEquals(0, run.code(), run.err());
        String line = run.out().strip();
        assertTrue(line.matches("gemm m=1 n=512 k=512 threads=1 precision=f32 pack ms \\d+\\.\\d cold weights GB/s \\d+\\.\\d "
                + "GFLOP/s \\d+\\.\\d"), line);
    }

    @Test
    void bf16GemmWithBandwidthSetsTheWeightsBesideTheMemorysSpeed() {
        CliRun run = CliRun.run("bench", "gemm", "--m", "2", "--n", "300", "--k", "100", "--threads", "1", "--seconds", "0.01",
                "--precision", "BF16", "--bandwidth", "--bandwidth-mib", "4", "--cpu-time");
        assertEquals(0, run.code(), run.err());
        String line = run.out().strip();
        assertTrue(line.matches("gemm m=2 n=300 k=100 threads=1 precision=bf16 cpu-time pack ms \\d+\\.\\d cold weights GB/s \\d+\\.\\d "
                + "of \\d+\\.\\d measured \\(\\d+%\\) GFLOP/s \\d+\\.\\d"), line);
    }

    @Test
    void gemmRejectsAnUnknownPrecision() {
        CliRun run = CliRun.run("bench", "gemm", "--precision", "int8", "--seconds", "0.01");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("expected f32, bf16 or f16, found 'int8'"), run.err());
    }

    @Test
    void gemmRejectsAnEmptyShape() {
        CliRun run = CliRun.run("bench", "gemm", "--m", "0", "--seconds", "0.01");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("m, n and k must be >= 1, found m=0"), run.err());
    }
}
