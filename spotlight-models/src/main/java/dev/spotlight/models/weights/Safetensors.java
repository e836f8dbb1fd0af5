package dev.spotlight.models.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.ModelFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N
 * bytes of JSON ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
 * {...}}}), then the data section that the offsets index. Every length and offset is checked
 * before it is trusted, with the same rules as the reference reader: spans must tile the data
 * section exactly (no overlap, no gap, nothing left over). The data is memory-mapped, never read
 * onto the heap.
 */
public final class Safetensors {
    /** The reference reader's cap; a real header is a few hundred KB even for large models. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String SINGLE_FILE = "model.safetensors";
    static final String INDEX_FILE = "model.safetensors.index.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Safetensors() {
    }

    /**
     * Opens {@code model.safetensors}, a sharded {@code model.safetensors.index.json}, or a folder
     * holding either (the index wins, as in transformers).
     */
    public static Weights open(Path fileOrFolder) {
        Path file = fileOrFolder;
        if (Files.isDirectory(fileOrFolder)) {
            file = fileOrFolder.resolve(INDEX_FILE);
            if (!Files.isRegularFile(file)) {
                file = fileOrFolder.resolve(SINGLE_FILE);
            }
            if (!Files.isRegularFile(file)) {
                throw new ModelFormatException(fileOrFolder + ": folder has neither " + SINGLE_FILE
                        + " nor " + INDEX_FILE);
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": no such file");
        }
        if (file.getFileName().toString().endsWith(".index.json")) {
            return ShardedSafetensors.open(file);
        }
        Arena arena = Arena.ofShared();
        try {
            return new TensorTable(file.toString(), read(file, arena), arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses one file's header and maps its data into {@code arena}; the map is insertion-ordered by offset. */
    static Map<String, StoredTensor> read(Path file, Arena arena) {
        String where = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] header = header(ch, size, where);
            long dataStart = 8L + header.length;
            List<Span> spans = parseHeader(header, where, size - dataStart);
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            Map<String, StoredTensor> out = new LinkedHashMap<>();
            for (Span s : spans) {
                out.put(s.name, new StoredTensor(s.name, where, s.dtype, s.shape,
                        mapped.asSlice(dataStart + s.begin, s.end - s.begin), false));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": " + e.getMessage(), e);
        }
    }

    private record Span(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private static List<Span> parseHeader(byte[] header, String where, long dataLength) {
        if (header[0] != '{') {
            throw new ModelFormatException(where + ": header must start with '{' at byte 8, found byte 0x"
                    + Integer.toHexString(header[0] & 0xFF));
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw new ModelFormatException(where + ": header is not well-formed JSON: " + firstLine(e), e);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ModelFormatException(where + ": header is " + root.getNodeType() + ", expected a JSON object");
        }
        List<Span> spans = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getKey().equals("__metadata__")) {
                checkMetadata(e.getValue(), where);
            } else {
                spans.add(span(e.getKey(), e.getValue(), where, dataLength));
            }
        }
        spans.sort(Comparator.comparingLong(Span::begin).thenComparingLong(Span::end));
        long expectedBegin = 0;
        Span previous = null;
        for (Span s : spans) {
            if (s.begin < expectedBegin) {
                throw new ModelFormatException(where + ": tensor '" + s.name + "' bytes [" + s.begin + ", " + s.end
                        + ") overlap tensor '" + previous.name + "' bytes [" + previous.begin + ", " + previous.end + ")");
            }
            if (s.begin > expectedBegin) {
                throw new ModelFormatException(where + ": tensor '" + s.name + "' starts at data offset " + s.begin
                        + ", expected " + expectedBegin + " (a gap of unused bytes" + (previous == null ? "" : " after '" + previous.name + "'") + ")");
            }
            expectedBegin = s.end;
            previous = s;
        }
        if (expectedBegin != dataLength) {
            throw new ModelFormatException(where + ": tensors cover " + expectedBegin + " bytes of the data section, but it holds "
                    + dataLength + " bytes");
        }
        return spans;
    }

    private static Span span(String name, JsonNode info, String where, long dataLength) {
        String at = where + ": tensor '" + name + "'";
        if (!info.isObject()) {
            throw new ModelFormatException(at + " is " + info.getNodeType() + ", expected an object with dtype, shape, data_offsets");
        }
        JsonNode dtypeNode = info.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new ModelFormatException(at + ": dtype is " + dtypeNode + ", expected a string");
        }
        DType dtype = DType.ofSafetensorsName(dtypeNode.asText());
        if (dtype == null) {
            throw new ModelFormatException(at + ": unknown dtype '" + dtypeNode.asText() + "', expected one of "
                    + List.of(DType.values()));
        }
        long[] shape = longs(info.get("shape"), at + ": shape", -1);
        long[] offsets = longs(info.get("data_offsets"), at + ": data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > dataLength) {
            throw new ModelFormatException(at + ": data_offsets [" + begin + ", " + end
                    + "] invalid, expected begin <= end <= " + dataLength + " (the data section's size)");
        }
        long elements = Shapes.elementCount(shape, at);
        long bytes;
        try {
            bytes = Math.multiplyExact(elements, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new ModelFormatException(at + ": shape " + java.util.Arrays.toString(shape) + " overflows a byte count");
        }
        if (bytes != end - begin) {
            throw new ModelFormatException(at + ": shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
                    + bytes + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Span(name, dtype, shape, begin, end);
    }

    private static long[] longs(JsonNode node, String what, int requiredLength) {
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw new ModelFormatException(what + " is " + node + ", expected an array"
                    + (requiredLength >= 0 ? " of " + requiredLength + " integers" : " of integers"));
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new ModelFormatException(what + "[" + i + "] is " + v + ", expected a non-negative integer");
            }
            out[i] = v.asLong();
        }
        return out;
    }

    private static void checkMetadata(JsonNode metadata, String where) {
        if (!metadata.isObject()) {
            throw new ModelFormatException(where + ": __metadata__ is " + metadata.getNodeType() + ", expected an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : metadata.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(where + ": __metadata__." + e.getKey() + " is " + e.getValue() + ", expected a string");
            }
        }
    }

    /** The {@code __metadata__} map of a file (empty when absent), after validating the whole header. */
    public static Map<String, String> metadata(Path file) {
        String where = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] header = header(ch, ch.size(), where);
            parseHeader(header, where, ch.size() - 8 - header.length);
            JsonNode meta = JSON.readTree(header).get("__metadata__");
            Map<String, String> out = new LinkedHashMap<>();
            if (meta != null) {
                meta.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": " + e.getMessage(), e);
        }
    }

    /** The header bytes, with the length checked before anything is allocated. */
    private static byte[] header(FileChannel ch, long size, String where) throws IOException {
        if (size < 8) {
            throw new ModelFormatException(where + ": file is " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lengthBytes, 0, where, "header length");
        long headerLength = lengthBytes.getLong(0);
        // A hostile length (2^62, or negative read as signed) must never become an allocation.
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
            throw new ModelFormatException(where + ": header length " + Long.toUnsignedString(headerLength)
                    + " at byte 0 is invalid, expected 2.." + Math.min(MAX_HEADER_BYTES, size - 8)
                    + " (file is " + size + " bytes, header cap " + MAX_HEADER_BYTES + ")");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(ch, header, 8, where, "header");
        return header.array();
    }

    /**
     * Writes {@code tensors} in map order. The header is padded with spaces to a multiple of 8 so
     * every tensor's data stays 8-byte aligned relative to the file start, as the reference writer
     * does. Writes a temporary file beside the target and moves it into place, so a crash never
     * leaves a half-written model.safetensors.
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
        Map<String, Layout> layouts = new LinkedHashMap<>();
        tensors.forEach((name, t) -> layouts.put(name, new Layout(t.dtype(), t.shape())));
        write(file, layouts, metadata, (name, out) -> writeFully(out, ByteBuffer.wrap(tensors.get(name).bytes())));
    }

    /** A tensor's element type and shape: all the header needs before its bytes exist. */
    public record Layout(DType dtype, long[] shape) {
        public Layout {
            shape = shape.clone();
        }

        long bytes(String where) {
            return Shapes.elementCount(shape, where) * dtype.byteSize();
        }
    }

    /** Produces one tensor's bytes, in order, when the writer reaches it. */
    @FunctionalInterface
    public interface TensorBytes {
        void write(String name, FileChannel out) throws IOException;
    }

    /**
     * Writes tensors whose bytes are produced while writing ({@code bytes} is called once per tensor,
     * in map order, and must write exactly its layout's size), so a file larger than the heap can be
     * written; otherwise as {@link #write(Path, Map, Map)}.
     */
    public static void write(Path file, Map<String, Layout> tensors, Map<String, String> metadata, TensorBytes bytes) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Layout> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new ModelFormatException(file + ": '__metadata__' is reserved and cannot name a tensor");
            }
            Layout t = e.getValue();
            long size = t.bytes(file + ": tensor '" + e.getKey() + "'");
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", t.dtype().name());
            ArrayNode shape = info.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        prefix.flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, prefix);
            long expected = 8 + padded;
            for (Map.Entry<String, Layout> e : tensors.entrySet()) {
                bytes.write(e.getKey(), ch);
                expected += e.getValue().bytes(e.getKey());
                if (ch.position() != expected) {
                    throw new IllegalStateException(file + ": tensor '" + e.getKey() + "' wrote " + ch.position()
                            + " bytes in all, expected " + expected + " from its shape and dtype");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long position, String where, String what) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = ch.read(into, at);
            if (n < 0) {
                throw new ModelFormatException(where + ": file ends at byte " + at + " while reading the " + what);
            }
            at += n;
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
