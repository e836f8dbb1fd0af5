package dev.spotlight.tensor.kernels;

/**
 * The element type a {@link PackedMatrix} stores its weights in, as the checkpoint does. The products
 * widen BF16 and F16 to float in registers (exactly: every BF16 and F16 value is a float), so a
 * product's bits do not depend on the stored precision, only on the values.
 */
public enum Precision {
    /** IEEE binary32. */
    F32(4),
    /** bfloat16: the upper half of a binary32 (8 exponent bits, 7 mantissa bits). */
    BF16(2),
    /** IEEE binary16 (5 exponent bits, 10 mantissa bits). */
    F16(2);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored element. */
    public int bytes() {
        return bytes;
    }
}
