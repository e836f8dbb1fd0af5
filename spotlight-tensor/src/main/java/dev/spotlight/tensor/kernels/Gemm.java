package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = act(A · W + bias) + residual} on a pre-packed W: a register-tiled micro-kernel of
 * {@link #ROWS} rows × one {@link #PANEL}-column panel (12 accumulators on 512-bit vectors), with
 * bias, activation and residual applied as each tile is stored.
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

    private Gemm() {
    }

    /**
     * @param a        [m, k] row-major
     * @param bias     [n] or null
     * @param residual [m, n] or null, added after the activation; not {@code c} itself (tiles store raw sums first)
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
        int chunkRows = roundUp(ceilDiv(m, ceilDiv(m, maxChunkRows)), 2);
        int chunks = ceilDiv(m, chunkRows);
        Activation activation = act == null ? Activation.NONE : act;
        Parallel.forRange(chunks * panels, task -> {
            int chunk = task / panels;
            int panel = task % panels;
            int rowEnd = Math.min(m, (chunk + 1) * chunkRows);
            int row = chunk * chunkRows;
            int bBase = panel * k * PANEL;
            int col = panel * PANEL;
            for (; row + ROWS <= rowEnd; row += ROWS) {
                tile6(a, row, k, w.data, bBase, c, n, col, bias, activation, residual);
            }
            if (row + 4 <= rowEnd) {
                tile4(a, row, k, w.data, bBase, c, n, col, bias, activation, residual);
                row += 4;
            }
            if (row + 2 <= rowEnd) {
                tile2(a, row, k, w.data, bBase, c, n, col, bias, activation, residual);
                row += 2;
            }
            if (row < rowEnd) {
                tile1(a, row, k, w.data, bBase, c, n, col, bias, activation, residual);
            }
        });
        if (activation != Activation.NONE) {
            // The activation runs on whole rows after the product: per 32-column tile the call
            // overhead of the vector erf/exp cost more than the math.
            int rowsPerTask = Math.max(1, 16384 / n);
            Parallel.forRange((m + rowsPerTask - 1) / rowsPerTask, t -> {
                for (int r = t * rowsPerTask, end = Math.min(m, r + rowsPerTask); r < end; r++) {
                    VectorMath.applyInPlace(activation, c, r * n, r * n + n);
                    if (residual != null) {
                        addRow(c, residual, r * n, r * n + n);
                    }
                }
            });
        }
    }

    private static void tile6(float[] a, int row, int k, float[] b, int bBase, float[] c, int n, int col,
                              float[] bias, Activation act, float[] residual) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
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
        int at = row * n + col;
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
        epilogue(c, n, row, ROWS, col, bias, act, residual);
    }

    /** Four rows (remainder): the same FMA chain per element as {@link #tile6}. */
    private static void tile4(float[] a, int row, int k, float[] b, int bBase, float[] c, int n, int col,
                              float[] bias, Activation act, float[] residual) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
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
        int at = row * n + col;
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
        epilogue(c, n, row, 4, col, bias, act, residual);
    }

    /** Two rows (remainder): the same FMA chain per element as {@link #tile6}. */
    private static void tile2(float[] a, int row, int k, float[] b, int bBase, float[] c, int n, int col,
                              float[] bias, Activation act, float[] residual) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
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
        int at = row * n + col;
        VectorMask<Float> m0 = S.indexInRange(col, n);
        VectorMask<Float> m1 = S.indexInRange(col + LANES, n);
        c00.intoArray(c, at, m0);
        c01.intoArray(c, at + LANES, m1);
        c10.intoArray(c, at + n, m0);
        c11.intoArray(c, at + n + LANES, m1);
        epilogue(c, n, row, 2, col, bias, act, residual);
    }

    /** One row: the same FMA chain per element as {@link #tile6}, so remainder rows give identical bits. */
    private static void tile1(float[] a, int row, int k, float[] b, int bBase, float[] c, int n, int col,
                              float[] bias, Activation act, float[] residual) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        int a0 = row * k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c0 = x.fma(FloatVector.fromArray(S, b, bo), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bo + LANES), c1);
        }
        int at = row * n + col;
        if (col + PANEL <= n) {
            c0.intoArray(c, at);
            c1.intoArray(c, at + LANES);
        } else {
            c0.intoArray(c, at, S.indexInRange(col, n));
            c1.intoArray(c, at + LANES, S.indexInRange(col + LANES, n));
        }
        epilogue(c, n, row, 1, col, bias, act, residual);
    }

    /**
     * c += bias (and + residual when there is no activation) over rows [row, row + rows) of one
     * panel's columns, on the stored tile while it is in L1. The tile kernels store raw sums and call
     * this with arrays only: an epilogue that took the accumulators as vector arguments was not always
     * inlined, and then every vector was boxed on the heap.
     */
    private static void epilogue(float[] c, int n, int row, int rows, int col, float[] bias, Activation act,
                                 float[] residual) {
        float[] addend = act == Activation.NONE ? residual : null;  // with an activation, matmul adds it after
        if (bias == null && addend == null) {
            return;
        }
        int end = Math.min(n, col + PANEL);
        for (int r = row; r < row + rows; r++) {
            int base = r * n;
            for (int j = col; j < end; j += LANES) {
                VectorMask<Float> m = S.indexInRange(j, end);
                FloatVector v = FloatVector.fromArray(S, c, base + j, m);
                if (bias != null) {
                    v = v.add(FloatVector.fromArray(S, bias, j, m));
                }
                if (addend != null) {
                    v = v.add(FloatVector.fromArray(S, addend, base + j, m));
                }
                v.intoArray(c, base + j, m);
            }
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

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }

    private static void check(float[] array, int rows, int cols, String name) {
        if (array == null || array.length < (long) rows * cols) {
            throw new IllegalArgumentException(name + " has " + (array == null ? "no" : array.length) + " floats, expected "
                    + rows + "*" + cols);
        }
    }
}
