package dev.spotlight.models.llama2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.weights.DType;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.Q8Matrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The llama2.c reader against the fixture's Hugging Face folder, files re-written in the other versions, and corrupt headers. */
class Llama2cCheckpointTest {
    private static final int LAYERS = 5;

    @TempDir
    Path tmp;

    @Test
    void versionZeroTensorsEqualTheHfSafetensorsBitForBit() {
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K.bin"));
             Weights hf = Safetensors.open(Stories260K.file("hf/model.safetensors"))) {
            assertEquals(0, c.config().version());
            assertEquals(new Llama2cConfig(0, 64, 172, 5, 8, 4, 512, 512, true, 0), c.config());
            assertWeightsEqual(hf, c.weights());
            assertFalse(c.weights().contains("lm_head.weight"), "a shared classifier has no lm_head");
            assertEquals(Optional.empty(), c.quantized("model.layers.0.self_attn.q_proj.weight"));
        }
    }

    @Test
    void configJsonAndGenerationConfigAreTheFixturesToTheByte() throws IOException {
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K.bin"))) {
            assertEquals(Files.readString(Stories260K.file("hf/config.json")), c.configJson());
            assertEquals(Files.readString(Stories260K.file("hf/generation_config.json")), c.generationConfigJson());
        }
    }

    /** README: "the norm weights are bit-identical, and every dequantized weight is within half a quantization step". */
    @Test
    void versionTwoDequantizesWithinHalfAStepAndKeepsNormsBitIdentical() {
        try (Llama2cCheckpoint f32 = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K.bin"));
             Llama2cCheckpoint q8 = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K_q8.bin"))) {
            assertEquals(new Llama2cConfig(2, 64, 172, 5, 8, 4, 512, 512, true, 4), q8.config());
            assertEquals(f32.weights().names(), q8.weights().names());
            assertEquals(f32.configJson(), q8.configJson());
            int quantized = 0;
            for (String name : f32.weights().names()) {
                float[] exact = f32.weights().floats(name);
                float[] deq = q8.weights().floats(name, f32.weights().shape(name));
                assertEquals(DType.F32, q8.weights().dtype(name));
                Optional<Q8Matrix> m = q8.quantized(name);
                if (name.contains("norm")) {
                    assertTrue(m.isEmpty(), name);
                    assertArrayEquals(exact, deq, name);  // assertArrayEquals(float[]) compares bits
                    continue;
                }
                quantized++;
                Q8Matrix w = m.orElseThrow();
                assertArrayEquals(w.dequantize(), deq, name);
                for (int i = 0; i < exact.length; i++) {
                    float halfStep = w.scale(i / w.cols(), (i % w.cols()) / w.groupSize()) / 2;
                    if (!(Math.abs(deq[i] - exact[i]) <= halfStep)) {
                        throw new AssertionError(name + "[" + i + "]: " + deq[i] + " is more than half a step ("
                                + halfStep + ") from " + exact[i]);
                    }
                }
            }
            assertEquals(1 + 7 * LAYERS, quantized);
        }
    }

    /**
     * export.py's quantize_q80 applied to the float32 weights gives the int8 file's values and scales
     * exactly, once both are in HF row order: the q8 layout, the permutation of values and scales, and
     * Q8Matrix.quantize agree with the program that wrote the file.
     */
    @Test
    void versionTwoIsExportPysQuantizationOfVersionZero() {
        try (Llama2cCheckpoint f32 = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K.bin"));
             Llama2cCheckpoint q8 = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K_q8.bin"))) {
            for (String name : f32.weights().names()) {
                Optional<Q8Matrix> stored = q8.quantized(name);
                if (stored.isPresent()) {
                    long[] shape = f32.weights().shape(name);
                    Q8Matrix requantized = Q8Matrix.quantize(f32.weights().floats(name), (int) shape[0], (int) shape[1], 4);
                    assertEquals(requantized, stored.get(), name);
                }
            }
        }
    }

    /** export.py's version 1 (256-byte header, norms first, no RoPE tables) holding the same weights reads the same. */
    @Test
    void versionOneWithTheSameWeightsReadsTheSame() throws IOException {
        LegacyFile v0 = LegacyFile.read(Stories260K.file("llama2c/stories260K.bin"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0x616b3432).putInt(1);
        for (int v : v0.header) {
            header.putInt(v);
        }
        header.put((byte) 1);
        out.write(header.array());
        for (String block : List.of("rms_att", "rms_ffn", "rms_final", "token_embedding", "wq", "wk", "wv", "wo", "w1", "w2", "w3")) {
            out.write(v0.bytes(block));
        }
        Path v1 = tmp.resolve("v1.bin");
        Files.write(v1, out.toByteArray());
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(v1);
             Weights hf = Safetensors.open(Stories260K.file("hf/model.safetensors"))) {
            assertEquals(1, c.config().version());
            assertWeightsEqual(hf, c.weights());
        }
    }

    /** A negative vocab_size marks an unshared classifier, stored after the two RoPE tables (run.c's memory_map_weights). */
    @Test
    void negativeVocabSizeReadsTheUnsharedClassifierAfterTheRopeTables() throws IOException {
        byte[] original = Files.readAllBytes(Stories260K.file("llama2c/stories260K.bin"));
        LegacyFile v0 = LegacyFile.read(Stories260K.file("llama2c/stories260K.bin"));
        byte[] classifier = v0.bytes("token_embedding");
        for (int i = 0; i < classifier.length; i += 4) {
            classifier[i + 3] ^= (byte) 0x80;  // negate every float: a classifier that differs from the embedding
        }
        ByteBuffer file = ByteBuffer.allocate(original.length + classifier.length).order(ByteOrder.LITTLE_ENDIAN);
        file.put(original).put(classifier).putInt(20, -512);
        Path unshared = tmp.resolve("unshared.bin");
        Files.write(unshared, file.array());
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(unshared);
             Llama2cCheckpoint shared = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K.bin"))) {
            assertFalse(c.config().sharedClassifier());
            assertEquals(512, c.config().vocabSize());
            assertTrue(c.configJson().contains("\"tie_word_embeddings\": false,"));
            float[] embed = shared.weights().floats("model.embed_tokens.weight");
            float[] head = c.weights().floats("lm_head.weight", 512, 64);
            for (int i = 0; i < embed.length; i++) {
                assertEquals(-embed[i], head[i]);
            }
            assertArrayEquals(embed, c.weights().floats("model.embed_tokens.weight"));
        }
    }

    @Test
    void readsAfterCloseFailAndClosingTheWeightsClosesTheCheckpoint() {
        Llama2cCheckpoint c = Llama2cCheckpoint.open(Stories260K.file("llama2c/stories260K.bin"));
        Weights w = c.weights();
        w.close();
        assertThrows(IllegalStateException.class, () -> c.weights().floats("model.norm.weight"));
        c.close();
    }

    // ---- corrupt files: one line naming the file, the field and the value ----

    @Test
    void corruptLegacyHeadersGiveOneLineErrors() throws IOException {
        byte[] v0 = Files.readAllBytes(Stories260K.file("llama2c/stories260K.bin"));
        String header = "version 0, dim 64, hidden_dim 172, n_layers 5, n_heads 8, n_kv_heads 4, vocab_size 512, "
                + "seq_len 512, shared classifier";
        assertRejected(new byte[0], "file is 0 bytes, too short for a llama2.c checkpoint");
        assertRejected(slice(v0, 20), "file is 20 bytes, shorter than the 28-byte header of a legacy (version 0) checkpoint");
        assertRejected(slice(v0, 100), "file is 100 bytes, but its header (" + header + ") implies 1056540 bytes");
        assertRejected(slice(v0, v0.length - 4), "file is 1056536 bytes, but its header (" + header + ") implies 1056540 bytes");
        assertRejected(slice(v0, v0.length + 4), "file is 1056544 bytes, but its header (" + header + ") implies 1056540 bytes");
        assertRejected(withInt(v0, 0, 0), "dim 0 must be positive");
        assertRejected(withInt(v0, 4, -172), "hidden_dim -172 must be positive");
        assertRejected(withInt(v0, 8, -5), "n_layers -5 must be positive");
        assertRejected(withInt(v0, 16, 0), "n_kv_heads 0 must be positive");
        assertRejected(withInt(v0, 20, 0), "vocab_size 0 is invalid, expected a positive count (negative: with an unshared classifier)");
        assertRejected(withInt(v0, 24, 0), "seq_len 0 must be positive");
        assertRejected(withInt(v0, 12, 7), "n_heads 7 does not divide dim 64");
        assertRejected(withInt(v0, 12, 64), "head size 1 (dim 64 / n_heads 64) must be even, since RoPE rotates pairs");
        assertRejected(withInt(v0, 16, 3), "n_kv_heads 3 does not divide n_heads 8");
        assertRejected(withInt(v0, 0, -1), "starts with 0xffffffff, neither the \"ak42\" magic 0x616b3432 of a version 1/2 "
                + "checkpoint nor a legacy (version 0) dim in 1..16777216");
        assertRejected(withInt(withInt(v0, 0, 1 << 20), 8, 1 << 20), "its header (version 0, dim 1048576, hidden_dim 172, "
                + "n_layers 1048576, n_heads 8, n_kv_heads 4, vocab_size 512, seq_len 512, shared classifier) implies a file "
                + "of more than 2^63 bytes");
    }

    @Test
    void corruptVersionTwoHeadersGiveOneLineErrors() throws IOException {
        byte[] q8 = Files.readAllBytes(Stories260K.file("llama2c/stories260K_q8.bin"));
        String header = "version 2, dim 64, hidden_dim 172, n_layers 5, n_heads 8, n_kv_heads 4, vocab_size 512, "
                + "seq_len 512, shared classifier, group_size 4";
        assertRejected(slice(q8, 100), "file is 100 bytes, shorter than the 256-byte header of a version 1/2 checkpoint");
        assertRejected(slice(q8, q8.length - 1), "file is 521727 bytes, but its header (" + header + ") implies 521728 bytes");
        assertRejected(slice(q8, q8.length + 8), "file is 521736 bytes, but its header (" + header + ") implies 521728 bytes");
        byte[] badMagic = q8.clone();
        badMagic[0] = '3';
        assertRejected(badMagic, "starts with 0x616b3433, neither the \"ak42\" magic 0x616b3432 of a version 1/2 checkpoint "
                + "nor a legacy (version 0) dim in 1..16777216");
        assertRejected(withInt(q8, 4, 3), "version 3 is not supported, expected 1 (fp32) or 2 (int8 Q8_0)");
        assertRejected(withInt(q8, 4, 0), "version 0 is not supported, expected 1 (fp32) or 2 (int8 Q8_0)");
        assertRejected(withInt(q8, 8, 0), "dim 0 must be positive");
        assertRejected(withInt(q8, 12, -1), "hidden_dim -1 must be positive");
        assertRejected(withInt(q8, 28, -512), "vocab_size -512 must be positive");
        assertRejected(withInt(q8, 24, 3), "n_kv_heads 3 does not divide n_heads 8");
        assertRejected(withInt(q8, 37, 0), "group_size 0 must be in 1..131071");
        assertRejected(withInt(q8, 37, 3), "group_size 3 does not divide dim 64");
        assertRejected(withInt(q8, 37, 8), "group_size 8 does not divide hidden_dim 172");
        byte[] flag = q8.clone();
        flag[36] = 2;
        assertRejected(flag, "shared_classifier 2 (byte 36) must be 0 or 1");
    }

    /**
     * A sparse file costs nothing to make and matches any header's length: 2^20 layers of 2 × 2 matrices
     * make 134 MB that are not on disk. The per-layer tensor list would hold 9.4 million entries; the layer
     * count is refused first.
     */
    @Test
    void aSparseFileMatchingAnAbsurdLayerCountIsRefusedBeforeItsTensorsAreListed() throws IOException {
        int layers = 1 << 20;
        ByteBuffer header = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0x616b3432).putInt(1).putInt(2).putInt(2).putInt(layers).putInt(1).putInt(1).putInt(1).putInt(1).put((byte) 1);
        // norms (2 per layer + the final one), the embedding [1, 2], then 7 matrices of 2 × 2 per layer
        long size = 256 + 4L * (2L * layers * 2 + 2 + 2) + 4L * 7 * 4 * layers;
        Path file = tmp.resolve("sparse.bin");
        try (var out = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            out.write(header.array());
            out.setLength(size);
        }
        var e = assertThrows(dev.spotlight.models.ModelFormatException.class, () -> Llama2cCheckpoint.open(file).close());
        assertEquals(file + ": n_layers 1048576 is more than the 4096 layers a model may have", e.getMessage());
    }

    @Test
    void aNonFiniteScaleIsReportedWithItsTensor() throws IOException {
        byte[] q8 = Files.readAllBytes(Stories260K.file("llama2c/stories260K_q8.bin"));
        int embedScales = 256 + 4 * (2 * LAYERS * 64 + 64) + 512 * 64;
        Path file = write(withInt(q8, embedScales + 4 * 3, Float.floatToRawIntBits(Float.NaN)));
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(file)) {
            var e = assertThrows(dev.spotlight.models.ModelFormatException.class,
                    () -> c.weights().floats("model.embed_tokens.weight"));
            assertEquals(file + ": tensor 'model.embed_tokens.weight' scale 3 (row 0) is NaN, expected a finite number",
                    e.getMessage());
        }
    }

    // ---- helpers ----

    static void assertWeightsEqual(Weights expected, Weights actual) {
        assertEquals(expected.names(), actual.names());
        for (String name : expected.names()) {
            assertArrayEquals(expected.shape(name), actual.shape(name), name);
            assertEquals(DType.F32, actual.dtype(name), name);
            float[] e = expected.floats(name);
            float[] a = actual.floats(name);
            assertEquals(e.length, a.length, name);
            for (int i = 0; i < e.length; i++) {
                if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                    throw new AssertionError(name + "[" + i + "] is " + a[i] + ", expected " + e[i]);
                }
            }
        }
    }

    private void assertRejected(byte[] content, String expected) throws IOException {
        Path file = write(content);
        var e = assertThrows(dev.spotlight.models.ModelFormatException.class, () -> Llama2cCheckpoint.open(file).close());
        assertEquals(file + ": " + expected, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private int files;

    private Path write(byte[] content) throws IOException {
        Path file = tmp.resolve("corrupt" + files++ + ".bin");
        Files.write(file, content);
        return file;
    }

    private static byte[] slice(byte[] b, int length) {
        return java.util.Arrays.copyOf(b, length);
    }

    private static byte[] withInt(byte[] b, int offset, int value) {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return out;
    }

    /** The blocks of the legacy fixture file, located here from run.c's order, independently of the reader. */
    record LegacyFile(int[] header, byte[] file, List<String> names, List<int[]> spans) {
        static LegacyFile read(Path path) throws IOException {
            byte[] file = Files.readAllBytes(path);
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            int[] h = new int[7];
            for (int i = 0; i < 7; i++) {
                h[i] = b.getInt(4 * i);
            }
            int dim = h[0], hidden = h[1], layers = h[2], kv = h[0] * h[4] / h[3], vocab = h[5];
            List<String> names = new ArrayList<>();
            List<int[]> spans = new ArrayList<>();
            int at = 28;
            Object[][] blocks = {{"token_embedding", vocab * dim}, {"rms_att", layers * dim}, {"wq", layers * dim * dim},
                {"wk", layers * kv * dim}, {"wv", layers * kv * dim}, {"wo", layers * dim * dim}, {"rms_ffn", layers * dim},
                {"w1", layers * hidden * dim}, {"w2", layers * hidden * dim}, {"w3", layers * hidden * dim}, {"rms_final", dim}};
            for (Object[] block : blocks) {
                names.add((String) block[0]);
                spans.add(new int[] {at, 4 * (int) block[1]});
                at += 4 * (int) block[1];
            }
            return new LegacyFile(h, file, names, spans);
        }

        byte[] bytes(String block) {
            int[] span = spans.get(names.indexOf(block));
            return java.util.Arrays.copyOfRange(file, span[0], span[0] + span[1]);
        }
    }
}
