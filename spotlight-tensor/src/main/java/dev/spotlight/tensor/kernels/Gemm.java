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
     * @param residual [m, n] or null, added after the activation; may be the same array as {@code c}
     * @param c        [m, n] output
     */
    public static void matmul(float[] a, int m, PackedMatrix w, float[] bias, Activation act, float[] residual, float[] c) {
        int k = w.k();
        int n = w.n();
        check(a, m, k, "a");
        check(c, m, n, "c");
        if (residual != null) {
            check(residual, m, n, "residual");
        }
        if (bias != null && bias.length != n) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected n = " + n);
        }
        if (m == 0) {
            return;
        }
        int panels = w.panels();
        int chunkRows = Math.max(ROWS, (A_CHUNK_BYTES / (4 * k)) / ROWS * ROWS);
        int chunks = (m + chunkRows - 1) / chunkRows;
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
            for (; row < rowEnd; row++) {
                tile1(a, row, k, w.data, bBase, c, n, col, bias, activation, residual);
            }
        });
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
        store(c00, c01, row, c, n, col, bias, act, residual);
        store(c10, c11, row + 1, c, n, col, bias, act, residual);
        store(c20, c21, row + 2, c, n, col, bias, act, residual);
        store(c30, c31, row + 3, c, n, col, bias, act, residual);
        store(c40, c41, row + 4, c, n, col, bias, act, residual);
        store(c50, c51, row + 5, c, n, col, bias, act, residual);
        if (act != Activation.NONE) {
            activate(c, n, row, ROWS, col, act, residual);
        }
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
        store(c0, c1, row, c, n, col, bias, act, residual);
        if (act != Activation.NONE) {
            activate(c, n, row, 1, col, act, residual);
        }
    }

    private static void store(FloatVector v0, FloatVector v1, int row, float[] c, int n, int col,
                              float[] bias, Activation act, float[] residual) {
        storeOne(v0, row, c, n, col, bias, act, residual);
        if (col + LANES < n) {
            storeOne(v1, row, c, n, col + LANES, bias, act, residual);
        }
    }

    /**
     * Stores acc + bias, and + residual when there is no activation. With an activation the rest of
     * the epilogue runs in {@link #activate} once the tile is stored: inlined into every store of the
     * 6-row tile, the activation's vector code grew past what the JIT inlines, and its vectors were
     * boxed on the heap — GELU layers ran 7× slower.
     */
    private static void storeOne(FloatVector v, int row, float[] c, int n, int col, float[] bias, Activation act,
                                 float[] residual) {
        int at = row * n + col;
        boolean addResidual = residual != null && act == Activation.NONE;
        if (col + LANES <= n) {
            if (bias != null) {
                v = v.add(FloatVector.fromArray(S, bias, col));
            }
            if (addResidual) {
                v = v.add(FloatVector.fromArray(S, residual, at));
            }
            v.intoArray(c, at);
        } else {
            VectorMask<Float> m = S.indexInRange(col, n);
            if (bias != null) {
                v = v.add(FloatVector.fromArray(S, bias, col, m));
            }
            if (addResidual) {
                v = v.add(FloatVector.fromArray(S, residual, at, m));
            }
            v.intoArray(c, at, m);
        }
    }

    /** c = act(c) (+ residual) over rows [row, row + rows) of one panel's columns. */
    private static void activate(float[] c, int n, int row, int rows, int col, Activation act, float[] residual) {
        int end = Math.min(n, col + PANEL);
        for (int r = row; r < row + rows; r++) {
            for (int j = col; j < end; j += LANES) {
                int at = r * n + j;
                VectorMask<Float> m = S.indexInRange(j, end);
                FloatVector v = act.apply(FloatVector.fromArray(S, c, at, m));
                if (residual != null) {
                    v = v.add(FloatVector.fromArray(S, residual, at, m));
                }
                v.intoArray(c, at, m);
            }
        }
    }

    private static void check(float[] array, int rows, int cols, String name) {
        if (array == null || array.length < (long) rows * cols) {
            throw new IllegalArgumentException(name + " has " + (array == null ? "no" : array.length) + " floats, expected "
                    + rows + "*" + cols);
        }
    }
}
