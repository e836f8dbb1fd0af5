package dev.spotlight.models.hub;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.JarURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelResolverTest {
    @TempDir
    Path dir;

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
            ModelConfig c = m.encoderConfig();
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
            assertEquals(8, m.encoderConfig().numAttentionHeads());
            assertEquals(512, m.encoderConfig().hiddenSize());
            assertEquals(21128, m.encoderConfig().vocabSize());
            assertEquals(4, m.encoderConfig().numHiddenLayers());
        }
    }

    @Test
    void hubIdsAreAliasesOfBuiltinNames() {
        try (ModelFiles m = ModelResolver.resolve("BAAI/bge-small-en-v1.5")) {
            assertEquals("bge-small-en-v1.5", m.name());
            assertEquals("cls", m.pooling());
            assertEquals(12, m.encoderConfig().numHiddenLayers());
            assertEquals(12, m.encoderConfig().numAttentionHeads());
        }
    }

    @Test
    void builtinStreamedFromTheClasspathEqualsTheMappedOne() {
        try (ModelFiles streamed = ModelResolver.streamed(BuiltinModel.E5_SMALL_V2);
             ModelFiles mapped = ModelResolver.resolve("e5-small-v2")) {
            assertEquals(mapped.config(), streamed.config());
            assertEquals(mapped.weights().names(), streamed.weights().names());
            assertArrayEquals(mapped.tokenizerJson(), streamed.tokenizerJson());
            String name = "encoder.layer.11.attention.output.dense.weight";
            assertArrayEquals(mapped.weights().floats(name, 384, 384), streamed.weights().floats(name, 384, 384));
            assertEquals("mean", streamed.pooling());
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

    @Test
    void onnxFileUsesTheTokenizerBesideItAndInfersItsConfig() throws Exception {
        Path onnx = dir.resolve("e5-small-v2.onnx");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("e5-small-v2.onnx");
             InputStream tok = getClass().getClassLoader().getResourceAsStream("e5-small-v2-tokenizer.json")) {
            Files.copy(in, onnx);
            Files.copy(tok, dir.resolve("e5-small-v2-tokenizer.json"));
        }
        try (ModelFiles m = ModelResolver.resolve(onnx.toString())) {
            assertEquals("e5-small-v2", m.name());
            assertEquals("mean", m.pooling());          // known export: e5's sentence-transformers pooling
            assertTrue(m.normalize());
            assertEquals(12, m.encoderConfig().numHiddenLayers());
            assertEquals(12, m.encoderConfig().numAttentionHeads());
        }
        Files.move(dir.resolve("e5-small-v2-tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.move(onnx, dir.resolve("model.onnx"));
        try (ModelFiles m = ModelResolver.resolve(dir.toString())) {   // a folder with model.onnx and no config.json
            assertEquals(384, m.encoderConfig().hiddenSize());
            assertEquals("mean", m.pooling());
            assertFalse(m.normalize());                 // no modules.json: sentence-transformers' default
        }
    }

    @Test
    void jarPathWorksLikeTheBuiltinName() throws Exception {
        Path jar = Path.of(((JarURLConnection) getClass().getClassLoader().getResource("all-minilm-l6-v2.onnx")
                .openConnection()).getJarFileURL().toURI());
        try (ModelFiles fromJar = ModelResolver.resolve(jar.toString()); ModelFiles builtin = ModelResolver.resolve("all-minilm-l6-v2")) {
            assertEquals(builtin.config(), fromJar.config());
            assertEquals("mean", fromJar.pooling());
            assertTrue(fromJar.normalize());
            assertArrayEquals(builtin.weights().floats("embeddings.LayerNorm.weight"), fromJar.weights().floats("embeddings.LayerNorm.weight"));
        }
    }

    @Test
    void unwritableCacheFallsBackToTheHeapAndDamagedCacheIsReinflated() throws Exception {
        String previous = System.getProperty("spotlight.cache");
        try {
            Path notADir = Files.writeString(dir.resolve("file"), "x");
            System.setProperty("spotlight.cache", notADir.toString());
            try (ModelFiles m = ModelResolver.resolve("all-minilm-l6-v2")) {
                assertEquals(6, m.encoderConfig().numHiddenLayers());
            }
            System.setProperty("spotlight.cache", dir.resolve("cache").toString());
            try (ModelFiles m = ModelResolver.resolve("all-minilm-l6-v2")) {
                assertEquals(12, m.encoderConfig().numAttentionHeads());
            }
            Path cached;
            try (var files = Files.list(dir.resolve("cache/onnx"))) {
                cached = files.findFirst().orElseThrow();
            }
            byte[] damaged = Files.readAllBytes(cached);
            damaged[damaged.length / 2] ^= 1;
            Files.write(cached, damaged);
            try (ModelFiles m = ModelResolver.resolve("all-minilm-l6-v2")) {
                assertEquals(6, m.encoderConfig().numHiddenLayers());
            }
            assertFalse(java.util.Arrays.equals(damaged, Files.readAllBytes(cached)), "damaged cache file replaced");
        } finally {
            System.setProperty("spotlight.cache", previous);
        }
    }

    @Test
    void folderReadsSentenceTransformersPoolingAndRequiresItsFiles() throws Exception {
        try (ModelFiles m = ModelResolver.resolve("bge-small-en-v1.5")) {
            HfFolder.write(m, dir, false);
        }
        try (ModelFiles m = ModelResolver.resolve(dir.toString())) {
            assertEquals("cls", m.pooling());
            assertTrue(m.normalize());
        }
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"pooling_mode_max_tokens\": true}");
        ModelFormatException max = assertThrows(ModelFormatException.class, () -> ModelResolver.resolve(dir.toString()));
        assertTrue(max.getMessage().contains("pooling mode max is not supported"), max.getMessage());
        Files.writeString(dir.resolve("1_Pooling/config.json"),
                "{\"pooling_mode_lasttoken\": true, \"pooling_mode_mean_tokens\": true, \"pooling_mode_cls_token\": true}");
        ModelFormatException several = assertThrows(ModelFormatException.class, () -> ModelResolver.resolve(dir.toString()));
        assertTrue(several.getMessage().endsWith("several pooling modes are on (cls, mean), expected exactly one of cls or mean"),
                several.getMessage());
        Files.delete(dir.resolve("modules.json"));
        Files.delete(dir.resolve("tokenizer.json"));
        ModelFormatException tok = assertThrows(ModelFormatException.class, () -> ModelResolver.resolve(dir.toString()));
        assertTrue(tok.getMessage().contains("tokenizer.json: missing"), tok.getMessage());
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.delete(dir.resolve("config.json"));
        ModelFormatException cfg = assertThrows(ModelFormatException.class, () -> ModelResolver.resolve(dir.toString()));
        assertTrue(cfg.getMessage().contains("config.json: missing"), cfg.getMessage());
    }
}
