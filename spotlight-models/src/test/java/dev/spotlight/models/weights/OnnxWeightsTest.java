package dev.spotlight.models.weights;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.spotlight.models.ModelFormatException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.spotlight.models.weights.SafetensorsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ONNX reader on the real all-MiniLM-L6-v2 export, checked against ONNX Runtime, and on corrupt input. */
class OnnxWeightsTest {
    private static byte[] miniLm;

    @BeforeAll
    static void loadExport() throws IOException {
        try (InputStream in = OnnxWeightsTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            miniLm = in.readAllBytes();
        }
    }

    @Test
    void miniLmPresentsEveryHuggingFaceTensorWithPyTorchShapes() {
        try (OnnxWeights w = OnnxWeights.read(miniLm, "all-minilm-l6-v2.onnx")) {
            Map<String, long[]> expected = new java.util.LinkedHashMap<>();
            expected.put("embeddings.word_embeddings.weight", new long[] {30522, 384});
            expected.put("embeddings.position_embeddings.weight", new long[] {512, 384});
            expected.put("embeddings.token_type_embeddings.weight", new long[] {2, 384});
            expected.put("embeddings.LayerNorm.weight", new long[] {384});
            expected.put("embeddings.LayerNorm.bias", new long[] {384});
            for (int l = 0; l < 6; l++) {
                String p = "encoder.layer." + l + ".";
                for (String qkv : List.of("query", "key", "value")) {
                    expected.put(p + "attention.self." + qkv + ".weight", new long[] {384, 384});
                    expected.put(p + "attention.self." + qkv + ".bias", new long[] {384});
                }
                expected.put(p + "attention.output.dense.weight", new long[] {384, 384});
                expected.put(p + "attention.output.dense.bias", new long[] {384});
                expected.put(p + "attention.output.LayerNorm.weight", new long[] {384});
                expected.put(p + "attention.output.LayerNorm.bias", new long[] {384});
                expected.put(p + "intermediate.dense.weight", new long[] {1536, 384});
                expected.put(p + "intermediate.dense.bias", new long[] {1536});
                expected.put(p + "output.dense.weight", new long[] {384, 1536});
                expected.put(p + "output.dense.bias", new long[] {384});
                expected.put(p + "output.LayerNorm.weight", new long[] {384});
                expected.put(p + "output.LayerNorm.bias", new long[] {384});
            }
            Set<String> names = new LinkedHashSet<>(expected.keySet());
            names.add("embeddings.position_ids");
            assertEquals(names, w.names());
            expected.forEach((name, shape) -> {
                assertArrayEquals(shape, w.shape(name), name);
                assertEquals(DType.F32, w.dtype(name), name);
            });
            assertEquals(DType.I64, w.dtype("embeddings.position_ids"));
            assertMessage(assertThrows(ModelFormatException.class, () -> w.floats("embeddings.position_ids")),
                    "'embeddings.position_ids'", "I64", "expected a floating type");
        }
    }

    @Test
    void graphConstantsGiveHeadsEpsAndActivation() {
        try (OnnxWeights w = OnnxWeights.read(miniLm, "all-minilm-l6-v2.onnx")) {
            assertEquals(12, w.attentionHeads().orElseThrow());
            assertEquals(1e-12, w.layerNormEps().orElseThrow());
            assertEquals("gelu", w.hiddenAct().orElseThrow());
        }
    }

    /**
     * Exposes the input and output of every weight MatMul as graph outputs (protobuf merges an
     * appended graph field into the existing one), runs ONNX Runtime, and checks that
     * {@code out[t][o] = Σ_i in[t][i] · W[o][i]} with our renamed, transposed W: right role, right layout.
     */
    @Test
    void renamedDenseWeightsReproduceOnnxRuntimeMatMuls() throws OrtException {
        OnnxGraph graph = OnnxGraph.parse(MemorySegment.ofArray(miniLm), "all-minilm-l6-v2.onnx");
        List<OnnxGraph.Node> matmuls = graph.nodes().stream()
                .filter(n -> n.opType().equals("MatMul") && graph.initializers().containsKey(n.inputs().get(1)))
                .toList();
        assertEquals(36, matmuls.size());
        Set<String> extra = new LinkedHashSet<>();
        matmuls.forEach(n -> {
            extra.add(n.inputs().get(0));
            extra.add(n.outputs().get(0));
        });
        ProtoWriter appended = new ProtoWriter();
        ProtoWriter outputs = new ProtoWriter();
        for (String name : extra) {
            ProtoWriter tensorType = new ProtoWriter().varint(1, 1);     // TypeProto.Tensor.elem_type = FLOAT
            outputs.message(12, new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType)));
        }
        appended.raw(miniLm).message(7, outputs);

        long[] ids = {101, 7592, 1010, 2088, 999, 102};   // [CLS] hello , world ! [SEP]
        int tokens = ids.length;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(appended.toByteArray(), options);
                 OnnxTensor inputIds = OnnxTensor.createTensor(env, new long[][] {ids});
                 OnnxTensor mask = OnnxTensor.createTensor(env, new long[][] {filled(tokens, 1)});
                 OnnxTensor types = OnnxTensor.createTensor(env, new long[][] {filled(tokens, 0)});
                 OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", mask,
                         "token_type_ids", types), extra);
                 OnnxWeights w = OnnxWeights.read(miniLm, "all-minilm-l6-v2.onnx")) {
                for (OnnxGraph.Node n : matmuls) {
                    String role = n.name().substring(1, n.name().length() - "/MatMul".length()).replace('/', '.') + ".weight";
                    float[][] in = ((float[][][]) result.get(n.inputs().get(0)).orElseThrow().getValue())[0];   // [tokens, in]
                    float[][] out = ((float[][][]) result.get(n.outputs().get(0)).orElseThrow().getValue())[0]; // [tokens, out]
                    long[] shape = w.shape(role);                                                              // [out, in]
                    float[] weight = w.floats(role, out[0].length, in[0].length);
                    double worst = 0;
                    for (int t = 0; t < tokens; t++) {
                        for (int o = 0; o < shape[0]; o++) {
                            double sum = 0;
                            for (int i = 0; i < shape[1]; i++) {
                                sum += (double) in[t][i] * weight[o * (int) shape[1] + i];
                            }
                            worst = Math.max(worst, Math.abs(sum - out[t][o]));
                        }
                    }
                    assertTrue(worst < 1e-4, role + ": max |ours - ORT| = " + worst);
                }
            }
        }
    }

    @Test
    void typedFieldsAndAnonymousMatMulWeightsAreNamedAndTransposed() {
        // W stored [in=2, out=3] for x · W, as float_data (packed) and unpacked fixed32 values.
        ProtoWriter packed = new ProtoWriter();
        float[] stored = {1, 2, 3, 4, 5, 6};
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : stored) {
            b.putFloat(f);
        }
        packed.varint(1, 2).varint(1, 3).varint(2, 1).bytes(4, b.array()).string(8, "onnx::MatMul_7");
        ProtoWriter bias = new ProtoWriter().varint(1, 3).varint(2, 1).string(8, "pooler.dense.bias");
        for (float f : new float[] {0.5f, -1f, 2f}) {
            bias.fixed32(4, Float.floatToIntBits(f));
        }
        ProtoWriter node = new ProtoWriter().string(1, "x").string(1, "onnx::MatMul_7").string(2, "y")
                .string(3, "/pooler/dense/MatMul").string(4, "MatMul");
        ProtoWriter graph = new ProtoWriter().message(1, node).message(5, packed).message(5, bias);
        byte[] model = new ProtoWriter().varint(1, 6).message(7, graph).toByteArray();
        try (OnnxWeights w = OnnxWeights.read(model, "tiny.onnx")) {
            assertEquals(Set.of("pooler.dense.weight", "pooler.dense.bias"), w.names());
            assertArrayEquals(new long[] {3, 2}, w.shape("pooler.dense.weight"));
            // [out, in]: row o holds column o of the stored matrix
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, w.floats("pooler.dense.weight", 3, 2));
            assertArrayEquals(new float[] {0.5f, -1f, 2f}, w.floats("pooler.dense.bias", 3));
            assertFalse(w.attentionHeads().isPresent());
        }
    }

    @Test
    void truncatedFileNamesTheByteOffsetAndField() {
        byte[] cut = Arrays.copyOf(miniLm, miniLm.length / 2);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxWeights.read(cut, "cut.onnx"));
        assertMessage(e, "cut.onnx", "at byte", "ModelProto.graph", "exceeds", "truncated or corrupt");
    }

    @Test
    void overlongVarintIsRejected() {
        byte[] bad = new byte[12];
        Arrays.fill(bad, (byte) 0xFF);
        assertMessage(assertThrows(ModelFormatException.class, () -> OnnxWeights.read(bad, "bad.onnx")),
                "bad.onnx", "at byte 0", "varint longer than 10 bytes");
        byte[] unfinished = {0x08, (byte) 0x80};
        assertMessage(assertThrows(ModelFormatException.class, () -> OnnxWeights.read(unfinished, "bad.onnx")),
                "at byte 1", "runs past the end");
    }

    @Test
    void hostileLengthIsRejectedWithoutAllocating() {
        byte[] hostile = new ProtoWriter().raw(new byte[] {0x3A}).rawVarint(1L << 62).raw(new byte[16]).toByteArray();
        assertMessage(assertThrows(ModelFormatException.class, () -> OnnxWeights.read(hostile, "h.onnx")),
                "h.onnx", "at byte 1", "length 4611686018427387904", "exceeds the 16 bytes left");
    }

    @Test
    void invalidWireTypeAndMissingGraphAreRejected() {
        assertMessage(assertThrows(ModelFormatException.class, () -> OnnxWeights.read(new byte[] {0x0B}, "g.onnx")),
                "at byte 0", "wire type 3");
        byte[] noGraph = new ProtoWriter().varint(1, 7).toByteArray();
        assertMessage(assertThrows(ModelFormatException.class, () -> OnnxWeights.read(noGraph, "g.onnx")), "no graph");
    }

    @Test
    void externalDataAndDimsMismatchAreRejected() {
        ProtoWriter external = new ProtoWriter().varint(1, 2).varint(2, 1).string(8, "w").varint(14, 1);
        byte[] m1 = new ProtoWriter().message(7, new ProtoWriter().message(5, external)).toByteArray();
        assertMessage(assertThrows(ModelFormatException.class, () -> OnnxWeights.read(m1, "e.onnx")), "'w'", "external");
        ProtoWriter shortRaw = new ProtoWriter().varint(1, 2).varint(1, 2).varint(2, 1).string(8, "w").bytes(9, new byte[12]);
        byte[] m2 = new ProtoWriter().message(7, new ProtoWriter().message(5, shortRaw)).toByteArray();
        assertMessage(assertThrows(ModelFormatException.class, () -> OnnxWeights.read(m2, "e.onnx")),
                "'w'", "[2, 2]", "need 16 bytes, found 12");
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }
}
