package dev.spotlight.models.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's ONNX export (bench/export_decoder_onnx.py, torch) run by ONNX Runtime gives
 * Spotlight's logits within 1e-4, through a batched prefill and decode steps on its KV cache, so the
 * two engines compute the same model. Needs /usr/bin/python3 with torch and onnx (this machine kind
 * has them); skipped with the reason elsewhere.
 */
class OnnxExportTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    @Test
    void everyPositionsLogitsMatchSpotlightForAnUntiedF32Model() throws Exception {
        compare(BenchModelsTest.TINY_F32, "all");
    }

    @Test
    void lastPositionLogitsMatchSpotlightForATiedBf16ModelWithLlama3Rope() throws Exception {
        compare(BenchModelsTest.TINY_BF16, "last");
    }

    /** A batch of 2 prompts of 11 tokens, prefilled, then 6 greedy steps; every step's logits compared. */
    private void compare(BenchModels.Shape shape, String logits) throws Exception {
        Path folder = BenchModels.ensure(shape, dir);
        Path onnx = export(folder, logits);
        List<int[]> prompts = GenerateBenchmark.prompts(2, 11, shape.vocab(), 3);
        int vocab = shape.vocab();
        double worst = 0;
        try (CausalLM model = Spotlight.causalLM(folder.toString());
             OrtContender ort = new OrtContender(onnx, shape.layers(), shape.kvHeads(), shape.headDim(), 1)) {
            List<int[]> sequences = new ArrayList<>(prompts);
            int[] next = ort.prefill(prompts);
            int rows = logits.equals("all") ? 11 : 1;
            for (int step = 0; step <= 6; step++) {
                float[] theirs = ort.lastLogits();  // [2, rows, vocab]
                float[][] ours = model.logits(sequences);  // [sequence] -> [length, vocab]
                for (int s = 0; s < 2; s++) {
                    int length = sequences.get(s).length;
                    for (int r = 0; r < rows; r++) {
                        int position = length - rows + r;
                        for (int v = 0; v < vocab; v++) {
                            float a = ours[s][position * vocab + v];
                            float b = theirs[(s * rows + r) * vocab + v];
                            worst = Math.max(worst, Math.abs(a - b));
                        }
                    }
                    assertArrayEquals(new int[] {GenerateBenchmark.argmax(Arrays.copyOfRange(ours[s], (length - 1) * vocab,
                            length * vocab))}, new int[] {next[s]}, "greedy token, step " + step + ", sequence " + s);
                }
                for (int s = 0; s < 2; s++) {
                    int[] grown = Arrays.copyOf(sequences.get(s), sequences.get(s).length + 1);
                    grown[grown.length - 1] = next[s];
                    sequences.set(s, grown);
                }
                next = ort.step(next);
                rows = 1;
            }
        }
        System.out.println(shape.name() + " (" + logits + " logits): max |Δ logit| Spotlight vs ONNX Runtime " + worst);
        assertTrue(worst < TOLERANCE, shape.name() + ": max |Δ logit| " + worst);
    }

    private Path export(Path folder, String logits) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is not on this machine");
        Path out = dir.resolve("onnx-" + logits);
        Path script = Path.of("bench/export_decoder_onnx.py");
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), folder.toString(), out.toString(), "--logits", logits)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            Assumptions.assumeFalse(output.contains("No module named 'torch'") || output.contains("No module named 'onnx'"),
                    "torch and onnx are needed for the export: " + output.strip());
            throw new IllegalStateException(script + " failed:\n" + output);
        }
        return out.resolve("model.onnx");
    }
}
