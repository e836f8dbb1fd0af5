package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNamesShapesDtypesAndValues() {
        float[] values = {1f, -2f, 0.5f, 3.25f, -0f, 1e-3f};
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("a.f32", TensorData.f32(values, 2, 3));
        tensors.put("b.f16", TensorData.f16(values, 3, 2));
        tensors.put("c.bf16", TensorData.bf16(values, 6));
        tensors.put("d.f64", TensorData.f64(new double[] {1.5, -0.25}, 2));
        tensors.put("e.i64", TensorData.i64(new long[] {0, 1, 2}, 1, 3));
        tensors.put("f.empty", TensorData.f32(new float[0], 0, 4));
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt"));

        try (Weights w = Safetensors.open(file)) {
            assertEquals(Set.of("a.f32", "b.f16", "c.bf16", "d.f64", "e.i64", "f.empty"), w.names());
            assertArrayEquals(values, w.floats("a.f32", 2, 3));
            assertArrayEquals(new long[] {3, 2}, w.shape("b.f16"));
            assertEquals(DType.F16, w.dtype("b.f16"));
            // These values are exact in f16 except 1e-3 (0x1419 = 0.0010004043579101562).
            assertArrayEquals(new float[] {1f, -2f, 0.5f, 3.25f, -0f, 0.0010004043579101562f}, w.floats("b.f16"));
            assertArrayEquals(new float[] {1f, -2f, 0.5f, 3.25f, -0f, 0.00099945068359375f}, w.floats("c.bf16"));
            assertArrayEquals(new float[] {1.5f, -0.25f}, w.floats("d.f64"));
            assertEquals(0, w.floats("f.empty", 0, 4).length);
            assertEquals(DType.I64, w.dtype("e.i64"));
        }
        assertEquals(Map.of("format", "pt"), Safetensors.metadata(file));
    }

    @Test
    void headerIsPaddedSoDataStartsEightByteAligned() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, Map.of("x", TensorData.f32(new float[] {1f}, 1)), Map.of());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, b.getLong(0) % 8);
    }

    @Test
    void f16BitsConvertAsHandComputed() throws IOException {
        // 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (max), 0x0001 = 2^-24 (smallest subnormal),
        // 0x3555 = 0.333251953125, 0x7C00 = +inf, 0x8000 = -0
        short[] bits = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x3555, 0x7C00, (short) 0x8000};
        float[] expected = {1f, -2f, 65504f, 0x1p-24f, 0.333251953125f, Float.POSITIVE_INFINITY, -0f};
        Path file = writeRaw("F16", bits);
        try (Weights w = Safetensors.open(file)) {
            assertArrayEquals(expected, w.floats("t", bits.length));
        }
    }

    @Test
    void bf16BitsConvertAsHandComputed() throws IOException {
        // bf16 is the top 16 bits of an f32: 0x3F80 = 1, 0xC000 = -2, 0x4049 = 3.140625,
        // 0x3EAB = 0.333984375, 0x0001 = 2^-133 (subnormal), 0xFF80 = -inf
        short[] bits = {0x3F80, (short) 0xC000, 0x4049, 0x3EAB, 0x0001, (short) 0xFF80};
        float[] expected = {1f, -2f, 3.140625f, 0.333984375f, 0x1p-133f, Float.NEGATIVE_INFINITY};
        Path file = writeRaw("BF16", bits);
        try (Weights w = Safetensors.open(file)) {
            assertArrayEquals(expected, w.floats("t", bits.length));
        }
    }

    @Test
    void bf16WriterRoundsToNearestEven() {
        assertEquals(0x4049, TensorData.toBfloat16((float) Math.PI));          // 0x40490FDB: low half < 0x8000, down
        assertEquals(0x3EAB, TensorData.toBfloat16(1f / 3));                    // 0x3EAAAAAB: low half > 0x8000, up
        assertEquals(0x3F80, TensorData.toBfloat16(Float.intBitsToFloat(0x3F808000)));  // tie, 0x3F80 even: down
        assertEquals(0x3F82, TensorData.toBfloat16(Float.intBitsToFloat(0x3F818000)));  // tie, 0x3F81 odd: up
        assertTrue(Float.isNaN(Float.intBitsToFloat(TensorData.toBfloat16(Float.NaN) << 16)));
    }

    @Test
    void shapeMismatchNamesFileTensorAndBothShapes() {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, Map.of("encoder.w", TensorData.f32(new float[6], 2, 3)), Map.of());
        try (Weights w = Safetensors.open(file)) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> w.floats("encoder.w", 3, 2));
            assertMessage(e, file.toString(), "'encoder.w'", "[2, 3]", "expected [3, 2]");
        }
    }

    @Test
    void missingTensorSuggestsClosestNames() {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, Map.of("encoder.layer.0.attention.self.query.weight", TensorData.f32(new float[1], 1),
                "pooler.dense.bias", TensorData.f32(new float[1], 1)), Map.of());
        try (Weights w = Safetensors.open(file)) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> w.shape("encoder.layer.0.attention.self.querry.weight"));
            assertMessage(e, file.toString(), "'encoder.layer.0.attention.self.querry.weight'",
                    "closest names: encoder.layer.0.attention.self.query.weight");
        }
    }

    @Test
    void readsAfterCloseFailInsteadOfTouchingUnmappedMemory() {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, Map.of("x", TensorData.f32(new float[] {1f}, 1)), Map.of());
        Weights w = Safetensors.open(file);
        w.close();
        assertThrows(IllegalStateException.class, () -> w.floats("x"));
        w.close();  // idempotent
    }

    @Test
    void hostileHeaderLengthIsRejectedBeforeAllocating() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62).putLong(0);
        Files.write(file, b.array());
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)),
                file.toString(), "header length 4611686018427387904", "file is 16 bytes");
    }

    @Test
    void truncatedHeaderIsRejected() throws IOException {
        Path file = dir.resolve("model.safetensors");
        byte[] json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 20).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json, 0, 20);
        Files.write(file, b.array());
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)),
                file.toString(), "header length " + json.length);
        Files.write(file, new byte[] {1, 2, 3});
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)),
                file.toString(), "3 bytes", "too short");
    }

    @Test
    void malformedJsonIsRejected() throws IOException {
        Path file = raw("{\"x\":{\"dtype\":\"F32\",", 0);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)), file.toString(), "not well-formed JSON");
        Path dup = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},\"x\":{}}", 4);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(dup)), "not well-formed JSON", "x");
    }

    @Test
    void unknownDtypeIsRejected() throws IOException {
        Path file = raw("{\"x\":{\"dtype\":\"F7\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)),
                file.toString(), "'x'", "unknown dtype 'F7'", "BF16");
    }

    @Test
    void shapeTimesDtypeMustEqualTheByteSpan() throws IOException {
        Path file = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)),
                file.toString(), "'x'", "needs 24 bytes", "span 20");
    }

    @Test
    void offsetsPastTheEndAreRejected() throws IOException {
        Path file = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)),
                file.toString(), "'x'", "[0, 16]", "<= 8");
    }

    @Test
    void overlappingSpansAreRejected() throws IOException {
        Path file = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)),
                file.toString(), "'b'", "[4, 12)", "overlap", "'a'", "[0, 8)");
    }

    @Test
    void gapsAndTrailingBytesAreRejectedLikeTheReferenceReader() throws IOException {
        Path gap = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(gap)), "'a'", "offset 4", "expected 0");
        Path trailing = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(trailing)), "cover 4 bytes", "holds 8");
    }

    @Test
    void overflowingShapeIsRejected() throws IOException {
        Path file = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", 0);
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(file)), "'x'", "overflows");
    }

    @Test
    void shardedIndexTakesEachTensorFromItsShard() throws IOException {
        Safetensors.write(dir.resolve("model-00001-of-00002.safetensors"),
                Map.of("a", TensorData.f32(new float[] {1f, 2f}, 2)), Map.of());
        Safetensors.write(dir.resolve("model-00002-of-00002.safetensors"),
                Map.of("b", TensorData.bf16(new float[] {3f}, 1)), Map.of());
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\":{},\"weight_map\":{"
                + "\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
        try (Weights w = Safetensors.open(dir)) {
            assertEquals(Set.of("a", "b"), w.names());
            assertArrayEquals(new float[] {1f, 2f}, w.floats("a", 2));
            assertArrayEquals(new float[] {3f}, w.floats("b", 1));
        }
    }

    @Test
    void shardIndexMayNotPointOutsideTheFolderOrToAMissingTensor() throws IOException {
        Safetensors.write(dir.resolve("s.safetensors"), Map.of("a", TensorData.f32(new float[] {1f}, 1)), Map.of());
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"weight_map\":{\"a\":\"../s.safetensors\"}}");
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(index)), "weight_map['a']", "same folder");
        Files.writeString(index, "{\"weight_map\":{\"zz\":\"s.safetensors\"}}");
        assertMessage(assertThrows(ModelFormatException.class, () -> Safetensors.open(index)), "'zz'", "s.safetensors");
    }

    @Test
    void shardNameWithAControlCharacterIsRefusedNotPassedToTheFileSystem() throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        for (String name : new String[] {"s\\u0000.safetensors", "s\\u0007.safetensors", "s\\n.safetensors"}) {
            Files.writeString(index, "{\"weight_map\":{\"a\":\"" + name + "\"}}");
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.open(index));
            assertMessage(e, "weight_map['a'] is \"" + name, "expected a shard file name in the same folder");
            assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), e.getMessage());
        }
    }

    private Path writeRaw(String dtype, short[] bits) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : bits) {
            data.putShort(s);
        }
        String header = "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + bits.length + "],\"data_offsets\":[0,"
                + bits.length * 2 + "]}}";
        return file(header, data.array());
    }

    private Path raw(String header, int dataBytes) throws IOException {
        return file(header, new byte[dataBytes]);
    }

    private Path file(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(data);
        Path file = Files.createTempFile(dir, "t", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
    }
}
