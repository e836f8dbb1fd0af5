package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntToLongFunction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = act(A · W + bias) + residual} on a pre-packed W: a register-tiled micro-kernel of
 * {@link #ROWS} rows × one {@link #PANEL}-column panel (12 accumulators on 512-bit vectors). The
 * accumulators start from the bias (and from the residual when no activation follows), so the
 * product needs no second pass; an activation runs over whole rows afterwards.
 *
 * <p>Every output element is one chain of FMAs over k in ascending order, whether its row is in a
 * full 6-row tile or a remainder row, and threads split the work over row chunks and column panels,
 * never over k: a row's result is bitwise the same for any M, any batch and any thread count.
 */
public final class Gemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int LANES = S.length();
    /** Columns per packed panel: two vectors. */
    public static final int PANEL = 2 * LANES;
    /** Rows per register tile. */
    static final int ROWS = 6;
    /** A row chunk is sized to keep its slice of A within this many bytes (in L2 with the B panel). */
    private static final int A_CHUNK_BYTES = 192 * 1024;
    /** With an activation, a row chunk's output is kept within this many bytes. */
    private static final int C_CHUNK_BYTES = 256 * 1024;

    private Gemm() {
    }

    /**
     * @param a        [m, k] row-major
     * @param bias     [n] or null
     * @param residual [m, n] or null, added after the activation; not {@code c} itself (with an activation,
     *                 c holds the activated product before the residual is added)
     * @param c        [m, n] output
     */
    public static void matmul(float[] a, int m, PackedMatrix w, float[] bias, Activation act, float[] residual, float[] c) {
        int k = w.k();
        int n = w.n();
        check(a, m, k, "a");
        check(c, m, n, "c");
        if (residual != null) {
            check(residual, m, n, "residual");
            if (residual == c) {
                throw new IllegalArgumentException("residual and c must be different arrays");
            }
        }
        if (bias != null && bias.length != n) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected n = " + n);
        }
        if (m == 0) {
            return;
        }
        int panels = w.panels();
        // Row chunks of (nearly) equal size, each within A_CHUNK_BYTES: chunks of whole 6-row tiles
        // gave one thread 126 rows and the other 1 for M = 127, 12 and 4 for M = 16 at K = 3072.
        // An even size keeps the remainder tiles at 4 or 2 rows.
        int maxChunkRows = Math.max(ROWS, (A_CHUNK_BYTES / (4 * k)) / ROWS * ROWS);
        Activation activation = act == null ? Activation.NONE : act;
        if (activation != Activation.NONE) {
            // the chunk's output rows stay in L2 until its activation runs
            maxChunkRows = Math.min(maxChunkRows, Math.max(ROWS, (C_CHUNK_BYTES / (4 * n)) / ROWS * ROWS));
        }
        int chunkRows = roundUp(Math.ceilDiv(m, Math.ceilDiv(m, maxChunkRows)), 2);
        int chunks = Math.ceilDiv(m, chunkRows);
        // Each accumulator starts from its bias (and its residual, when nothing comes after the
        // product), so no pass over the stored tile is needed. The bias is padded to whole panels
        // for unmasked loads; a partial last panel adds its residual in a masked epilogue instead.
        float[] start = new float[panels * PANEL];
        if (bias != null) {
            System.arraycopy(bias, 0, start, 0, n);
        }
        float[] addend = activation == Activation.NONE ? residual : null;
        // The activation (then the residual) runs on a chunk's whole rows as soon as its last panel
        // is done, by the thread that finished it, while the rows are still in cache: a separate
        // pass after the product read them back from memory. (Per tile, 32 columns at a time, the
        // call overhead of the vector erf cost more than the math.)
        AtomicIntegerArray panelsDone = activation == Activation.NONE ? null : new AtomicIntegerArray(chunks);
        // threads split by rows, not by task count: the last chunk is shorter
        IntToLongFunction rowsOfTask = task -> Math.min(m, (task / panels + 1) * chunkRows) - task / panels * chunkRows;
        Parallel.forRange(chunks * panels, rowsOfTask, task -> {
            int chunk = task / panels;
            int panel = task % panels;
            int rowEnd = Math.min(m, (chunk + 1) * chunkRows);
            int row = chunk * chunkRows;
            int bBase = panel * k * PANEL;
            int col = panel * PANEL;
            boolean partial = col + PANEL > n;
            float[] tileAddend = partial ? null : addend;
            for (; row + ROWS <= rowEnd; row += ROWS) {
                tile6(a, row, k, w.data, bBase, c, n, col, start, tileAddend);
            }
            if (row + 4 <= rowEnd) {
                tile4(a, row, k, w.data, bBase, c, n, col, start, tileAddend);
                row += 4;
            }
            if (row + 2 <= rowEnd) {
                tile2(a, row, k, w.data, bBase, c, n, col, start, tileAddend);
                row += 2;
            }
            if (row < rowEnd) {
                tile1(a, row, k, w.data, bBase, c, n, col, start, tileAddend);
            }
            if (partial && addend != null) {
                addPartialPanel(c, addend, n, chunk * chunkRows, rowEnd, col);
            }
            if (panelsDone != null && panelsDone.incrementAndGet(chunk) == panels) {
                for (int r = chunk * chunkRows; r < rowEnd; r++) {
                    VectorMath.applyInPlace(activation, c, r * n, r * n + n);
                    if (residual != null) {
                        addRow(c, residual, r * n, r * n + n);
                    }
                }
            }
        });
    }

    /**
     * Rows [row, row + R) of one panel. Accumulators start at {@code start[col..]} (the padded bias)
     * plus, when given, the {@code addend} rows (full panels only); then one FMA per k in ascending
     * order. Every kernel size runs the same chain per element, so a row's bits never depend on
     * which tile it fell in.
     */
    private static void tile6(float[] a, int row, int k, float[] b, int bBase, float[] c, int n, int col,
                              float[] start, float[] addend) {
        FloatVector s0 = FloatVector.fromArray(S, start, col);
        FloatVector s1 = FloatVector.fromArray(S, start, col + LANES);
        FloatVector c00 = s0, c01 = s1;
        FloatVector c10 = s0, c11 = s1;
        FloatVector c20 = s0, c21 = s1;
        FloatVector c30 = s0, c31 = s1;
        FloatVector c40 = s0, c41 = s1;
        FloatVector c50 = s0, c51 = s1;
        int at = row * n + col;
        if (addend != null) {
            c00 = c00.add(FloatVector.fromArray(S, addend, at));
            c01 = c01.add(FloatVector.fromArray(S, addend, at + LANES));
            c10 = c10.add(FloatVector.fromArray(S, addend, at + n));
            c11 = c11.add(FloatVector.fromArray(S, addend, at + n + LANES));
            c20 = c20.add(FloatVector.fromArray(S, addend, at + 2 * n));
            c21 = c21.add(FloatVector.fromArray(S, addend, at + 2 * n + LANES));
            c30 = c30.add(FloatVector.fromArray(S, addend, at + 3 * n));
            c31 = c31.add(FloatVector.fromArray(S, addend, at + 3 * n + LANES));
            c40 = c40.add(FloatVector.fromArray(S, addend, at + 4 * n));
            c41 = c41.add(FloatVector.fromArray(S, addend, at + 4 * n + LANES));
            c50 = c50.add(FloatVector.fromArray(S, addend, at + 5 * n));
            c51 = c51.add(FloatVector.fromArray(S, addend, at + 5 * n + LANES));
        }
        int a0 = row * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int a4 = a3 + k;
        int a5 = a4 + k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + LANES);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + kk]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + kk]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        if (col + PANEL <= n) {
            c00.intoArray(c, at);
            c01.intoArray(c, at + LANES);
            c10.intoArray(c, at + n);
            c11.intoArray(c, at + n + LANES);
            c20.intoArray(c, at + 2 * n);
            c21.intoArray(c, at + 2 * n + LANES);
            c30.intoArray(c, at + 3 * n);
            c31.intoArray(c, at + 3 * n + LANES);
            c40.intoArray(c, at + 4 * n);
            c41.intoArray(c, at + 4 * n + LANES);
            c50.intoArray(c, at + 5 * n);
            c51.intoArray(c, at + 5 * n + LANES);
        } else {
            VectorMask<Float> m0 = S.indexInRange(col, n);
            VectorMask<Float> m1 = S.indexInRange(col + LANES, n);
            c00.intoArray(c, at, m0);
            c01.intoArray(c, at + LANES, m1);
            c10.intoArray(c, at + n, m0);
            c11.intoArray(c, at + n + LANES, m1);
            c20.intoArray(c, at + 2 * n, m0);
            c21.intoArray(c, at + 2 * n + LANES, m1);
            c30.intoArray(c, at + 3 * n, m0);
            c31.intoArray(c, at + 3 * n + LANES, m1);
            c40.intoArray(c, at + 4 * n, m0);
            c41.intoArray(c, at + 4 * n + LANES, m1);
            c50.intoArray(c, at + 5 * n, m0);
            c51.intoArray(c, at + 5 * n + LANES, m1);
        }
    }

    /** Four remainder rows; see {@link #tile6}. */
    private static void tile4(float[] a, int row, int k, float[] b, int bBase, float[] c, int n, int col,
                              float[] start, float[] addend) {
        FloatVector s0 = FloatVector.fromArray(S, start, col);
        FloatVector s1 = FloatVector.fromArray(S, start, col + LANES);
        FloatVector c00 = s0, c01 = s1;
        FloatVector c10 = s0, c11 = s1;
        FloatVector c20 = s0, c21 = s1;
        FloatVector c30 = s0, c31 = s1;
        int at = row * n + col;
        if (addend != null) {
            c00 = c00.add(FloatVector.fromArray(S, addend, at));
            c01 = c01.add(FloatVector.fromArray(S, addend, at + LANES));
            c10 = c10.add(FloatVector.fromArray(S, addend, at + n));
            c11 = c11.add(FloatVector.fromArray(S, addend, at + n + LANES));
            c20 = c20.add(FloatVector.fromArray(S, addend, at + 2 * n));
            c21 = c21.add(FloatVector.fromArray(S, addend, at + 2 * n + LANES));
            c30 = c30.add(FloatVector.fromArray(S, addend, at + 3 * n));
            c31 = c31.add(FloatVector.fromArray(S, addend, at + 3 * n + LANES));
        }
        int a0 = row * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + LANES);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        if (col + PANEL <= n) {
            c00.intoArray(c, at);
            c01.intoArray(c, at + LANES);
            c10.intoArray(c, at + n);
            c11.intoArray(c, at + n + LANES);
            c20.intoArray(c, at + 2 * n);
            c21.intoArray(c, at + 2 * n + LANES);
            c30.intoArray(c, at + 3 * n);
            c31.intoArray(c, at + 3 * n + LANES);
        } else {
            VectorMask<Float> m0 = S.indexInRange(col, n);
            VectorMask<Float> m1 = S.indexInRange(col + LANES, n);
            c00.intoArray(c, at, m0);
            c01.intoArray(c, at + LANES, m1);
            c10.intoArray(c, at + n, m0);
            c11.intoArray(c, at + n + LANES, m1);
            c20.intoArray(c, at + 2 * n, m0);
            c21.intoArray(c, at + 2 * n + LANES, m1);
            c30.intoArray(c, at + 3 * n, m0);
            c31.intoArray(c, at + 3 * n + LANES, m1);
        }
    }

    /** Two remainder rows; see {@link #tile6}. */
    private static void tile2(float[] a, int row, int k, float[] b, int bBase, float[] c, int n, int col,
                              float[] start, float[] addend) {
        FloatVector s0 = FloatVector.fromArray(S, start, col);
        FloatVector s1 = FloatVector.fromArray(S, start, col + LANES);
        FloatVector c00 = s0, c01 = s1;
        FloatVector c10 = s0, c11 = s1;
        int at = row * n + col;
        if (addend != null) {
            c00 = c00.add(FloatVector.fromArray(S, addend, at));
            c01 = c01.add(FloatVector.fromArray(S, addend, at + LANES));
            c10 = c10.add(FloatVector.fromArray(S, addend, at + n));
            c11 = c11.add(FloatVector.fromArray(S, addend, at + n + LANES));
        }
        int a0 = row * k;
        int a1 = a0 + k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + LANES);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
        }
        if (col + PANEL <= n) {
            c00.intoArray(c, at);
            c01.intoArray(c, at + LANES);
            c10.intoArray(c, at + n);
            c11.intoArray(c, at + n + LANES);
        } else {
            VectorMask<Float> m0 = S.indexInRange(col, n);
            VectorMask<Float> m1 = S.indexInRange(col + LANES, n);
            c00.intoArray(c, at, m0);
            c01.intoArray(c, at + LANES, m1);
            c10.intoArray(c, at + n, m0);
            c11.intoArray(c, at + n + LANES, m1);
        }
    }

    /** One remainder row; see {@link #tile6}. */
    private static void tile1(float[] a, int row, int k, float[] b, int bBase, float[] c, int n, int col,
                              float[] start, float[] addend) {
        FloatVector s0 = FloatVector.fromArray(S, start, col);
        FloatVector s1 = FloatVector.fromArray(S, start, col + LANES);
        FloatVector c00 = s0, c01 = s1;
        int at = row * n + col;
        if (addend != null) {
            c00 = c00.add(FloatVector.fromArray(S, addend, at));
            c01 = c01.add(FloatVector.fromArray(S, addend, at + LANES));
        }
        int a0 = row * k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + LANES);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
        }
        if (col + PANEL <= n) {
            c00.intoArray(c, at);
            c01.intoArray(c, at + LANES);
        } else {
            VectorMask<Float> m0 = S.indexInRange(col, n);
            VectorMask<Float> m1 = S.indexInRange(col + LANES, n);
            c00.intoArray(c, at, m0);
            c01.intoArray(c, at + LANES, m1);
        }
    }

    /** c += addend over rows [from, to) of the partial last panel, whose columns end at n. */
    private static void addPartialPanel(float[] c, float[] addend, int n, int from, int to, int col) {
        for (int r = from; r < to; r++) {
            addRow(c, addend, r * n + col, r * n + n);
        }
    }

    /** c[from, to) += residual[from, to). */
    private static void addRow(float[] c, float[] residual, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector.fromArray(S, c, i).add(FloatVector.fromArray(S, residual, i)).intoArray(c, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector.fromArray(S, c, i, m).add(FloatVector.fromArray(S, residual, i, m)).intoArray(c, i, m);
        }
    }

    private static int roundUp(int x, int multiple) {
        return Math.ceilDiv(x, multiple) * multiple;
    }

    private static void check(float[] array, int rows, int cols, String name) {
        if (array == null || array.length < (long) rows * cols) {
            throw new IllegalArgumentException(name + " has " + (array == null ? "no" : array.length) + " floats, expected "
                    + rows + "*" + cols);
        }
    }
}
