package dev.spotlight.models.weights;

/**
 * Element types of stored tensors, named as safetensors names them. Every element is stored
 * little-endian. Only the floating types convert to {@code float[]}; the integer ones exist so a
 * file holding them (BERT's {@code position_ids} buffer) still validates.
 */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** Whether {@link Weights#floats} can convert this type to f32 (F32, F16, BF16, F64). */
    public boolean convertsToFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** The type for a safetensors {@code dtype} string, or null when safetensors has no such type. */
    public static DType ofSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
