package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * {@link PackedMatrix}'s factories over stored bytes (safetensors: little-endian, row-major). Each
 * thread reads its own contiguous stretch of the source: an [n, k] matrix is packed panel by panel
 * (a panel's 32 columns are 32 consecutive source rows), a [k, n] matrix block of rows by block of
 * rows (every row feeds every panel).
 */
final class SegmentPacking {
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Source rows per task of {@link #pack}: enough to amortise a task, few enough to share among threads. */
    private static final int ROWS_PER_TASK = 16;
    /** The largest Java array, in elements. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * A thread that never runs: a segment it may access is one every thread may access (a shared,
     * global or automatic arena, a mapped file, a heap array), so the packing may use all threads.
     */
    private static final Thread NOT_AN_OWNER = Thread.ofVirtual().unstarted(() -> { });

    private SegmentPacking() {
    }

    /** Checks shape and byte size before anything is allocated; {@code layout} names the source's layout. */
    static void check(MemorySegment src, Precision precision, int k, int n, String layout) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(precision, "precision");
        PackedMatrix.checkShape(k, n);
        long elements = (long) PackedMatrix.panels(n) * k * (precision == Precision.F32 ? Gemm.PANEL : Gemm.LANES);
        if (elements > MAX_ARRAY) {
            throw new IllegalArgumentException(precision + " matrix of k = " + k + ", n = " + n + " is too large to pack: "
                    + elements + " array elements, at most " + MAX_ARRAY);
        }
        long expected = (long) k * n * precision.bytes();
        if (src.byteSize() != expected) {
            String shape = layout.equals("[n, k]") ? "[" + n + ", " + k + "]" : "[" + k + ", " + n + "]";
            throw new IllegalArgumentException(precision + " matrix " + layout + " = " + shape + " needs " + expected
                    + " bytes (" + precision.bytes() + " per element), found a segment of " + src.byteSize() + " bytes");
        }
    }

    /** W [n, k]: panel by panel, each reading its 32 source rows in turn and scattering them into its columns. */
    static PackedMatrix packTransposed(MemorySegment src, Precision precision, int n, int k) {
        int panels = PackedMatrix.panels(n);
        long rowBytes = (long) k * precision.bytes();
        if (precision == Precision.F32) {
            float[] data = new float[panels * k * Gemm.PANEL];
            forEach(src, panels, p -> {
                float[] row = new float[k];
                for (int j = 0, col = p * Gemm.PANEL; j < Gemm.PANEL && col < n; j++, col++) {
                    MemorySegment.copy(src, FLOAT_LE, col * rowBytes, row, 0, k);
                    for (int kk = 0, at = p * k * Gemm.PANEL + j; kk < k; kk++, at += Gemm.PANEL) {
                        data[at] = row[kk];
                    }
                }
            });
            return new PackedMatrix(k, n, precision, data, null);
        }
        int[] halves = new int[panels * k * Gemm.LANES];
        forEach(src, panels, p -> {
            short[] row = new short[k];
            for (int j = 0, col = p * Gemm.PANEL; j < Gemm.PANEL && col < n; j++, col++) {
                MemorySegment.copy(src, SHORT_LE, col * rowBytes, row, 0, k);
                int shift = j < Gemm.LANES ? 0 : 16;
                for (int kk = 0, at = p * k * Gemm.LANES + j % Gemm.LANES; kk < k; kk++, at += Gemm.LANES) {
                    halves[at] |= (row[kk] & 0xFFFF) << shift;
                }
            }
        });
        return new PackedMatrix(k, n, precision, null, halves);
    }

    /** W [k, n]: blocks of source rows, each row split into its panels. */
    static PackedMatrix pack(MemorySegment src, Precision precision, int k, int n) {
        int panels = PackedMatrix.panels(n);
        int tasks = Math.ceilDiv(k, ROWS_PER_TASK);
        long rowBytes = (long) n * precision.bytes();
        if (precision == Precision.F32) {
            float[] data = new float[panels * k * Gemm.PANEL];
            forEach(src, tasks, t -> {
                for (int kk = t * ROWS_PER_TASK; kk < Math.min(k, (t + 1) * ROWS_PER_TASK); kk++) {
                    for (int p = 0; p < panels; p++) {
                        MemorySegment.copy(src, FLOAT_LE, kk * rowBytes + 4L * p * Gemm.PANEL, data,
                                (p * k + kk) * Gemm.PANEL, Math.min(Gemm.PANEL, n - p * Gemm.PANEL));
                    }
                }
            });
            return new PackedMatrix(k, n, precision, data, null);
        }
        int[] halves = new int[panels * k * Gemm.LANES];
        forEach(src, tasks, t -> {
            short[] row = new short[panels * Gemm.PANEL];  // zero past n: the padding columns
            for (int kk = t * ROWS_PER_TASK; kk < Math.min(k, (t + 1) * ROWS_PER_TASK); kk++) {
                MemorySegment.copy(src, SHORT_LE, kk * rowBytes, row, 0, n);
                for (int p = 0; p < panels; p++) {
                    int from = p * Gemm.PANEL;
                    for (int j = 0, at = (p * k + kk) * Gemm.LANES; j < Gemm.LANES; j++, at++) {
                        halves[at] = row[from + j] & 0xFFFF | row[from + Gemm.LANES + j] << 16;
                    }
                }
            }
        });
        return new PackedMatrix(k, n, precision, null, halves);
    }

    /** {@code body} for [0, count), on all threads when every thread may read {@code src}, else on the caller. */
    private static void forEach(MemorySegment src, int count, IntConsumer body) {
        if (src.isAccessibleBy(NOT_AN_OWNER)) {
            Parallel.forRange(count, body);
        } else {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
        }
    }
}
