package dev.spotlight.models.hub;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelResolverTest {
    @TempDir
    static Path cache;

    static {
        // Keep the inflated ONNX cache out of the developer's home during tests.
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    @Test
    void defaultBuiltinIsMiniLmWithMeanPoolingAndNormalisation() {
        try (ModelFiles m = ModelResolver.resolve(null)) {
            assertEquals("all-minilm-l6-v2", m.name());
            assertEquals("mean", m.pooling());
            assertTrue(m.normalize());
            ModelConfig c = m.config();
            assertEquals(new ModelConfig("bert", 30522, 384, 6, 12, 1536, "gelu", 1e-12, 512, 2, 0, "absolute",
                    java.util.List.of("BertModel"), java.util.Map.of()), c);
            assertTrue(new String(m.tokenizerJson(), StandardCharsets.UTF_8).contains("\"WordPiece\""));
            assertNull(m.tokenizerConfigJson());
            assertArrayEquals(new long[] {384, 1536}, m.weights().shape("encoder.layer.5.output.dense.weight"));
        }
    }

    @Test
    void bgeSmallZhInfersEightHeadsOf64FromTheGraph() {
        try (ModelFiles m = ModelResolver.resolve("bge-small-zh-v1.5")) {
            assertEquals("cls", m.pooling());
            assertEquals(8, m.config().numAttentionHeads());
            assertEquals(512, m.config().hiddenSize());
            assertEquals(21128, m.config().vocabSize());
            assertEquals(4, m.config().numHiddenLayers());
        }
    }

    @Test
    void hubIdsAreAliasesOfBuiltinNames() {
        try (ModelFiles m = ModelResolver.resolve("BAAI/bge-small-en-v1.5")) {
            assertEquals("bge-small-en-v1.5", m.name());
            assertEquals("cls", m.pooling());
            assertEquals(12, m.config().numHiddenLayers());
            assertEquals(12, m.config().numAttentionHeads());
        }
    }

    @Test
    void unknownNameListsTheBuiltins() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelResolver.resolve("no-such-model"));
        assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
        for (String id : BuiltinModel.ids()) {
            assertTrue(e.getMessage().contains(id), e.getMessage());
        }
    }
}
