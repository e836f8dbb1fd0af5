package dev.spotlight.models.decoder;

import dev.spotlight.models.weights.DType;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.PackedMatrix;
import dev.spotlight.tensor.kernels.Precision;
import java.util.Optional;

/**
 * A checkpoint's matrices packed for the GEMM in the precision the file stores them (F32, BF16 or
 * F16, read straight from the mapped bytes), so a BF16 model takes about its file size in memory and a
 * decode step reads half the bytes; anything else (F64, an ONNX matrix kept [in, out]) is widened to
 * F32 first. The products' bits do not depend on the stored precision, only on the values.
 */
public final class StoredMatrices {
    private StoredMatrices() {
    }

    /** nn.Linear's weight [out, in], packed for x · Wᵀ. */
    public static PackedMatrix linear(Weights w, String name, int out, int in) {
        return stored(w, name, out, in)
                .map(s -> PackedMatrix.packTransposed(s.bytes(), precision(s.dtype()), out, in))
                .orElseGet(() -> PackedMatrix.packTransposed(w.floats(name, out, in), out, in));
    }

    /** GPT-2's Conv1D weight [in, out], packed for x · W. */
    public static PackedMatrix conv1d(Weights w, String name, int in, int out) {
        return stored(w, name, in, out)
                .map(s -> PackedMatrix.pack(s.bytes(), precision(s.dtype()), in, out))
                .orElseGet(() -> PackedMatrix.pack(w.floats(name, in, out), in, out));
    }

    /** Row j of an embedding table packed with {@link #linear} (as the tied LM head is): [columns of its k]. */
    public static void embeddingRows(PackedMatrix table, int[] ids, float[] out) {
        for (int t = 0; t < ids.length; t++) {
            table.column(ids[t], out, t * table.k());
        }
    }

    private static Optional<Weights.Stored> stored(Weights w, String name, long... shape) {
        return w.stored(name, shape).filter(s -> precision(s.dtype()) != null);
    }

    private static Precision precision(DType dtype) {
        return switch (dtype) {
            case F32 -> Precision.F32;
            case BF16 -> Precision.BF16;
            case F16 -> Precision.F16;
            default -> null;
        };
    }
}
