package dev.spotlight.models.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.decoder.RandomCheckpoint;
import dev.spotlight.models.weights.DType;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.models.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's generated checkpoints: what they hold, that every engine loads them, and what a decode step reads. */
class BenchModelsTest {
    /** Llama 3.x in miniature: BF16, tied, grouped-query heads, rope_scaling llama3 (2 of 8 frequencies interpolated). */
    static final BenchModels.Shape TINY_BF16 = new BenchModels.Shape("tiny-bf16", DType.BF16, 5, 64, 2, 4, 2, 16, 128, 300,
            true, 256, 500000.0, 1, 2, Map.of("factor", 8.0, "high_freq_factor", 4.0, "low_freq_factor", 1.0,
            "original_max_position_embeddings", 64, "rope_type", "llama3"));
    /** F32, untied lm_head, default RoPE: the shape Jlama computes exactly as Hugging Face does. */
    static final BenchModels.Shape TINY_F32 = new BenchModels.Shape("tiny-f32", DType.F32, 6, 64, 2, 4, 2, 16, 160, 300,
            false, 256, 10000.0, 1, 2, null);

    @TempDir
    Path cache;

    @Test
    void writtenTensorsAreRandomCheckpointValuesInTheStoredPrecision() {
        Path dir = BenchModels.ensure(TINY_BF16, cache);
        try (Weights w = Safetensors.open(dir)) {
            assertEquals(TINY_BF16.tensors().keySet(), w.names());
            String name = "model.layers.1.mlp.down_proj.weight";  // [hidden, intermediate]: fan_in 128
            assertEquals(DType.BF16, w.dtype(name));
            float[] expected = RandomCheckpoint.values(name, 5, 0, 64 * 128, 0, 1 / Math.sqrt(128));
            float[] bf16 = Safetensors.open(writeOne(expected)).floats("t");
            assertArrayEquals(bf16, w.floats(name, 64, 128));
            float[] norm = w.floats("model.norm.weight", 64);
            for (float v : norm) {
                assertTrue(v >= 0.89f && v <= 1.11f, "norm weight " + v + ": 1 ± 0.1 rounded to bf16");
            }
        }
    }

    @Test
    void valuesInPiecesEqualTheWholeTensor() {
        float[] whole = RandomCheckpoint.values("x", 9, 0, 1000, 0.5, 2);
        float[] tail = RandomCheckpoint.values("x", 9, 600, 400, 0.5, 2);
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 600, 1000), tail);
    }

    @Test
    void aCompleteFolderIsReusedAndAnIncompleteOneRewritten() throws Exception {
        Path dir = BenchModels.ensure(TINY_F32, cache);
        Path weights = dir.resolve("model.safetensors");
        long written = Files.getLastModifiedTime(weights).toMillis();
        Thread.sleep(20);
        BenchModels.ensure(TINY_F32, cache);
        assertEquals(written, Files.getLastModifiedTime(weights).toMillis(), "reused");
        Files.delete(dir.resolve("bench-model.json"));
        Files.write(weights, new byte[] {1, 2, 3});  // a write that was cut off
        BenchModels.ensure(TINY_F32, cache);
        try (Weights w = Safetensors.open(dir)) {
            assertEquals(TINY_F32.tensors().size(), w.names().size());
        }
    }

    @Test
    void aDecodeStepReadsEveryMatrixOnceAtItsStoredSize() {
        // per layer q 64·64, k and v 32·64 each, o 64·64, gate/up/down 3·64·h; plus the LM head 300·64
        long tiedBf16 = 2L * (2 * (64 * 64 * 2 + 32 * 64 * 2 + 3 * 64 * 128) + 300 * 64);
        long untiedF32 = 4L * (2 * (64 * 64 * 2 + 32 * 64 * 2 + 3 * 64 * 160) + 300 * 64);
        try (Weights w = Safetensors.open(BenchModels.ensure(TINY_BF16, cache))) {
            assertEquals(tiedBf16, GenerateBenchmark.weightBytesPerToken(w));
            assertEquals(tiedBf16 / 2, GenerateBenchmark.matrixElements(w));
        }
        try (Weights w = Safetensors.open(BenchModels.ensure(TINY_F32, cache))) {
            assertEquals(untiedF32, GenerateBenchmark.weightBytesPerToken(w), "the input embedding is a lookup");
        }
    }

    @Test
    void realShapesHaveTheirCheckpointsParameterCounts() {
        // SmolLM2-135M: 134,515,008 parameters; Llama-3.2-1B: 1,235,814,400 (tied embeddings counted once)
        assertEquals(134_515_008L, BenchModels.SMOLLM2_135M.parameters());
        assertEquals(1_235_814_400L, BenchModels.LLAMA_3_2_1B.parameters());
    }

    @Test
    void spotlightAndJlamaLoadTheFolderAndAgreeOnGreedyTokens() {
        Path dir = BenchModels.ensure(TINY_F32, cache);
        List<int[]> prompts = GenerateBenchmark.prompts(3, 9, TINY_F32.vocab(), 1);
        try (CausalLM model = Spotlight.causalLM(dir.toString());
             SpotlightContender spotlight = new SpotlightContender(dir);
             JlamaContender jlama = new JlamaContender(dir, 1)) {
            assertEquals(TINY_F32.vocab(), model.tokenizer().vocabSize(true));
            int[] ours = spotlight.nextTokens(prompts);
            for (int s = 0; s < prompts.size(); s++) {
                assertEquals(ours[s], jlama.nextTokens(List.of(prompts.get(s)))[0], "prompt " + s);
            }
        }
    }

    private Path writeOne(float[] values) {
        Path file = cache.resolve("one.safetensors");
        Safetensors.write(file, Map.of("t", TensorData.bf16(values, values.length)), Map.of());
        return file;
    }
}
