package dev.spotlight.models.hub;

import dev.spotlight.models.weights.DType;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfFolderTest {
    static {
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    @TempDir
    Path dir;

    @Test
    void onnxExportConvertsToAFolderWithIdenticalTensorsConfigTokenizerAndPooling() {
        try (ModelFiles onnx = ModelResolver.resolve("bge-small-en-v1.5")) {
            int written = HfFolder.write(onnx, dir, false);
            try (Weights st = Safetensors.open(dir.resolve("model.safetensors"));
                 ModelFiles folder = ModelResolver.resolve(dir.toString())) {
                Set<String> floatNames = onnx.weights().names().stream()
                        .filter(n -> onnx.weights().dtype(n).convertsToFloat()).collect(Collectors.toSet());
                assertEquals(floatNames, st.names());
                assertEquals(written, st.names().size());
                for (String name : floatNames) {
                    assertEquals(DType.F32, st.dtype(name));
                    assertArrayEquals(onnx.weights().shape(name), st.shape(name), name);
                    assertArrayEquals(onnx.weights().floats(name), st.floats(name), name);
                }
                assertEquals(onnx.config(), folder.config());
                assertArrayEquals(onnx.tokenizerJson(), folder.tokenizerJson());
                assertEquals("cls", folder.pooling());
                assertTrue(folder.normalize());
                assertEquals(Set.copyOf(floatNames), folder.weights().names());
            }
        }
    }

    @Test
    void refusesToOverwriteWithoutForce() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"mine\": true}");
        try (ModelFiles onnx = ModelResolver.resolve("all-minilm-l6-v2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfFolder.write(onnx, dir, false));
            assertTrue(e.getMessage().contains("config.json already exists") && e.getMessage().contains("--force"), e.getMessage());
            assertEquals("{\"mine\": true}", Files.readString(dir.resolve("config.json")));
            assertTrue(!Files.exists(dir.resolve("model.safetensors")), "nothing written before refusing");
            HfFolder.write(onnx, dir, true);
            assertTrue(Files.readString(dir.resolve("config.json")).contains("\"num_attention_heads\" : 12"));
        }
    }
}
