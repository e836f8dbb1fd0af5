package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The protobuf wire format, just enough to walk an ONNX file: varints, fixed 32/64-bit values and
 * length-delimited fields, each checked against the bytes that remain so a corrupt or hostile
 * length becomes an error naming the byte offset, never a huge allocation or a read past the end.
 * Reads a {@link MemorySegment} so a mapped 130 MB file is walked without copying it.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int LEN = 2;
    static final int I32 = 5;

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment data;
    private final String source;
    private final long end;
    private long pos;

    ProtoReader(MemorySegment data, String source) {
        this(data, source, 0, data.byteSize());
    }

    private ProtoReader(MemorySegment data, String source, long start, long end) {
        this.data = data;
        this.source = source;
        this.pos = start;
        this.end = end;
    }

    boolean hasMore() {
        return pos < end;
    }

    long position() {
        return pos;
    }

    /** Reads a field key; returns {@code fieldNumber << 3 | wireType} after checking both. */
    int tag(String what) {
        long start = pos;
        long key = varint(what + " field key");
        int wire = (int) (key & 7);
        long field = key >>> 3;
        if (field == 0 || field > 536_870_911L || (wire != VARINT && wire != I64 && wire != LEN && wire != I32)) {
            throw error(start, what, "invalid field key " + key + " (field " + field + ", wire type " + wire + ")");
        }
        return (int) key;
    }

    long varint(String what) {
        long start = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw error(start, what, "varint runs past the end of its message (ends at byte " + end + ")");
            }
            byte b = data.get(ValueLayout.JAVA_BYTE, pos++);
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw error(start, what, "varint longer than 10 bytes");
    }

    int fixed32(String what) {
        require(4, what);
        int v = data.get(LE_INT, pos);
        pos += 4;
        return v;
    }

    long fixed64(String what) {
        require(8, what);
        long v = data.get(LE_LONG, pos);
        pos += 8;
        return v;
    }

    /** A length-delimited field's bytes as a slice of the file (no copy). */
    MemorySegment bytes(String what) {
        long length = length(what);
        MemorySegment slice = data.asSlice(pos, length);
        pos += length;
        return slice;
    }

    /** A nested message, read by its own reader confined to the field's bytes. */
    ProtoReader message(String what) {
        long length = length(what);
        ProtoReader inner = new ProtoReader(data, source, pos, pos + length);
        pos += length;
        return inner;
    }

    String string(String what) {
        return new String(bytes(what).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    void skip(int tag, String what) {
        switch (tag & 7) {
            case VARINT -> varint(what);
            case I64 -> fixed64(what);
            case I32 -> fixed32(what);
            case LEN -> bytes(what);
            default -> throw error(pos, what, "unknown wire type " + (tag & 7));
        }
    }

    ModelFormatException error(long at, String what, String problem) {
        return new ModelFormatException(where(at, what) + ": " + problem);
    }

    String where(long at, String what) {
        return source + ": at byte " + at + " while reading " + what;
    }

    private long length(String what) {
        long start = pos;
        long length = varint(what + " length");
        if (length < 0 || length > end - pos) {
            throw error(start, what, "length " + Long.toUnsignedString(length) + " exceeds the " + (end - pos)
                    + " bytes left in its message (file truncated or corrupt)");
        }
        return length;
    }

    private void require(int n, String what) {
        if (end - pos < n) {
            throw error(pos, what, n + "-byte value runs past the end of its message (ends at byte " + end + ")");
        }
    }
}
