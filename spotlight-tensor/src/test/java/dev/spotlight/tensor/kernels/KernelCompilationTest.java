package dev.spotlight.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every vector kernel must be compilable by C1, the JIT's first tier. When C1 gives up on a method
 * ("COMPILE SKIPPED: out of virtual registers", which large vector bodies provoke) HotSpot can
 * leave it in limited-profile code for good, where every vector is a heap object: a GEMM kernel of
 * 1,100 bytes of bytecode did that in about one run in six, and the whole forward pass ran 50×
 * slower. The child JVM stops at C1 with full profiling and delays ordinary compilation so that
 * loops are compiled on-stack first, the path that failed.
 */
class KernelCompilationTest {
    @Test
    void c1CompilesEveryKernelIncludingOnStackReplacement() throws IOException, InterruptedException {
        List<String> log = runWorkout("-XX:Tier3InvocationThreshold=100000", "-XX:Tier3MinInvocationThreshold=100000",
                "-XX:Tier3CompileThreshold=100000");
        assertCompiled(log);
    }

    @Test
    void c1CompilesEveryKernelOnOrdinaryEntry() throws IOException, InterruptedException {
        assertCompiled(runWorkout());
    }

    private static void assertCompiled(List<String> log) {
        List<String> skipped = log.stream().filter(l -> l.contains("dev.spotlight") && l.contains("SKIPPED")).toList();
        assertEquals(List.of(), skipped, "C1 gave up on kernels");
        for (String kernel : List.of("Gemm::tile6", "Gemm::tile1x4", "HalfPanels::tile6", "HalfPanels::tile2", "HalfPanels::widen",
                "Attention$Head::scores4", "Attention$Head::values4", "VectorMath::expInPlace")) {
            assertTrue(log.stream().anyMatch(l -> l.contains(kernel)), kernel + " was never compiled: the workout is too short");
        }
    }

    private static List<String> runWorkout(String... extraFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=3", "-XX:+PrintCompilation"));
        command.addAll(List.of(extraFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelWorkout.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
            reader.lines().forEach(lines::add);
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the workout did not finish");
        assertEquals(0, process.exitValue(), String.join("\n", lines));
        return lines;
    }
}
