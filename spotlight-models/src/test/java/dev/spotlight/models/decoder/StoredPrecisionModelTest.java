package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.models.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * BF16 and F16 checkpoints stay in their stored precision in memory (about the file's size) and give
 * bitwise the logits of the same values stored as F32: widening in registers is exact.
 */
class StoredPrecisionModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama_bf16", "qwen2_f16", "gpt2_bf16"})
    void halfPrecisionWeightsStayHalfAndComputeLikeTheirF32Widening(String golden, @TempDir Path dir) throws IOException {
        JsonNode g = RandomCheckpoint.golden(golden);
        Path half = RandomCheckpoint.write(g, dir.resolve("half"));
        Path wide = Files.createDirectories(dir.resolve("f32"));
        try (var files = Files.list(half)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("model.safetensors")) {
                    Files.copy(f, wide.resolve(f.getFileName()));
                }
            }
        }
        Map<String, TensorData> widened = new TreeMap<>();
        try (Weights w = Safetensors.open(half)) {
            for (String name : w.names()) {
                widened.put(name, TensorData.f32(w.floats(name), w.shape(name)));
            }
        }
        Safetensors.write(wide.resolve("model.safetensors"), widened, Map.of("format", "pt"));
        long halfFile = Files.size(half.resolve("model.safetensors"));
        try (CausalLM h = Spotlight.causalLM(half.toString()); CausalLM f = Spotlight.causalLM(wide.toString())) {
            // embeddings, matrices and the LM head are packed at 2 bytes a weight; norms and biases stay f32
            assertTrue(h.decoder().weightBytes() < 0.6 * f.decoder().weightBytes(), h.decoder().weightBytes() + " bytes in memory");
            assertTrue(h.decoder().weightBytes() < 1.3 * halfFile, h.decoder().weightBytes() + " bytes for a file of " + halfFile);
            for (JsonNode seq : g.get("sequences")) {
                int[] ids = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(seq.get("ids"), int[].class);
                assertArrayEquals(f.logits(List.of(ids))[0], h.logits(List.of(ids))[0], golden + ", " + ids.length + " tokens");
            }
        }
    }
}
