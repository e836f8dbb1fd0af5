package dev.spotlight.models.weights;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An ONNX {@code TensorProto}: name, dims, element type and little-endian bytes. Exporters put
 * weights in {@code raw_data} (a slice of the file, not copied); small constants may use the typed
 * repeated fields ({@code float_data}, {@code int32_data}, {@code int64_data}, {@code double_data}),
 * packed or not, which are re-encoded as little-endian bytes here.
 */
record OnnxTensor(String name, DType dtype, long[] dims, MemorySegment bytes) {

    static OnnxTensor parse(ProtoReader t) {
        long start = t.position();
        String name = "";
        int dataType = 0;
        LongList dims = new LongList();
        MemorySegment raw = null;
        LongList values = new LongList();   // typed fields, each element as its raw bits
        boolean external = false;
        while (t.hasMore()) {
            int tag = t.tag("TensorProto '" + name + "'");
            int field = tag >>> 3;
            int wire = tag & 7;
            String what = "TensorProto '" + name + "' field " + field;
            switch (field) {
                case 1 -> readInts(t, wire, dims, false, what + " (dims)");
                case 2 -> dataType = (int) t.varint(what + " (data_type)");
                case 4 -> readInts(t, wire, values, true, what + " (float_data)");
                case 5, 7, 11 -> readInts(t, wire, values, false, what);
                case 10 -> readFixed64(t, wire, values, what + " (double_data)");
                case 8 -> name = t.string(what + " (name)");
                case 9 -> raw = t.bytes(what + " (raw_data)");
                case 13 -> {
                    external = true;
                    t.skip(tag, what);
                }
                case 14 -> external |= t.varint(what + " (data_location)") == 1;
                default -> t.skip(tag, what);
            }
        }
        String what = "TensorProto '" + name + "'";
        if (external) {
            throw t.error(start, what, "data is stored in an external file, which Spotlight does not read; "
                    + "re-export with the weights inside the .onnx file");
        }
        DType dtype = dtype(dataType);
        if (dtype == null) {
            throw t.error(start, what, "unsupported data_type " + dataType
                    + ", expected a numeric type (FLOAT=1, FLOAT16=10, BFLOAT16=16, INT64=7, …)");
        }
        long[] shape = dims.toArray();
        long count = Shapes.elementCount(shape, t.where(start, what));
        MemorySegment bytes = raw != null ? raw : encode(values, dtype);
        if (bytes.byteSize() != count * dtype.byteSize()) {
            throw t.error(start, what, "dims " + Arrays.toString(shape) + " of " + dtype + " need "
                    + count * dtype.byteSize() + " bytes, found " + bytes.byteSize());
        }
        return new OnnxTensor(name, dtype, shape, bytes);
    }

    /** onnx.TensorProto.DataType -> our element type (null for STRING, complex and 4-bit types). */
    private static DType dtype(int onnxType) {
        return switch (onnxType) {
            case 1 -> DType.F32;
            case 2 -> DType.U8;
            case 3 -> DType.I8;
            case 4 -> DType.U16;
            case 5 -> DType.I16;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 9 -> DType.BOOL;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 12 -> DType.U32;
            case 13 -> DType.U64;
            case 16 -> DType.BF16;
            default -> null;
        };
    }

    /** Typed fields hold each element's bits; int32_data carries the 16-bit types in its low bits. */
    private static MemorySegment encode(LongList values, DType dtype) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.size, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.size; i++) {
            long v = values.values[i];
            switch (dtype.byteSize()) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return MemorySegment.ofArray(b.array());
    }

    private static void readInts(ProtoReader t, int wire, LongList into, boolean fixed32, String what) {
        if (wire == ProtoReader.LEN) {
            ProtoReader packed = t.message(what);
            while (packed.hasMore()) {
                into.add(fixed32 ? packed.fixed32(what) & 0xFFFFFFFFL : packed.varint(what));
            }
        } else if (fixed32 && wire == ProtoReader.I32) {
            into.add(t.fixed32(what) & 0xFFFFFFFFL);
        } else if (!fixed32 && wire == ProtoReader.VARINT) {
            into.add(t.varint(what));
        } else {
            throw t.error(t.position(), what, "unexpected wire type " + wire);
        }
    }

    private static void readFixed64(ProtoReader t, int wire, LongList into, String what) {
        if (wire == ProtoReader.LEN) {
            ProtoReader packed = t.message(what);
            while (packed.hasMore()) {
                into.add(packed.fixed64(what));
            }
        } else if (wire == ProtoReader.I64) {
            into.add(t.fixed64(what));
        } else {
            throw t.error(t.position(), what, "unexpected wire type " + wire);
        }
    }

    /** A growable long[]; it only grows as bytes are actually read, so it is bounded by the file. */
    private static final class LongList {
        long[] values = new long[4];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

}
