package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;

/**
 * Row-wise normalisations and small helpers. Statistics are summed in double in index order, one
 * row per task: a row's result never depends on the other rows or on the thread count.
 */
public final class Norms {
    /** Rows per parallel task: enough work to outweigh the hand-off. */
    private static final int ROWS_PER_TASK = 16;

    private Norms() {
    }

    /**
     * out = (x − mean) / √(var + eps) · gamma + beta per row; x [rows, dim]; out may be x. Mean and
     * variance are summed per vector lane in float and the lanes in double, in a fixed order.
     */
    public static void layerNorm(float[] x, int rows, int dim, float[] gamma, float[] beta, float eps, float[] out) {
        check(x, rows, dim, gamma, beta, out);
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        Parallel.forRange(tasks, task -> {
            float[] lanes = new float[VectorMath.LANES];
            for (int r = task * ROWS_PER_TASK, end = Math.min(rows, r + ROWS_PER_TASK); r < end; r++) {
                int base = r * dim;
                float mean = (float) (VectorMath.sumOf(x, base, base + dim, 0f, false, lanes) / dim);
                double variance = VectorMath.sumOf(x, base, base + dim, mean, true, lanes) / dim;
                float inv = (float) (1 / Math.sqrt(variance + eps));
                VectorMath.normalize(x, base, dim, mean, inv, gamma, beta, out);
            }
        });
    }

    /** out = x / √(mean(x²) + eps) · gamma per row; x [rows, dim]; out may be x. */
    public static void rmsNorm(float[] x, int rows, int dim, float[] gamma, float eps, float[] out) {
        check(x, rows, dim, gamma, null, out);
        forRows(rows, r -> {
            int base = r * dim;
            double sq = 0;
            for (int d = 0; d < dim; d++) {
                sq += (double) x[base + d] * x[base + d];
            }
            float inv = (float) (1 / Math.sqrt(sq / dim + eps));
            for (int d = 0; d < dim; d++) {
                out[base + d] = x[base + d] * inv * gamma[d];
            }
        });
    }

    /** Softmax of each row in place; x [rows, dim]. A row of −∞ only becomes zeros, not NaN. */
    public static void softmax(float[] x, int rows, int dim) {
        forRows(rows, r -> {
            int base = r * dim;
            float max = Float.NEGATIVE_INFINITY;
            for (int d = 0; d < dim; d++) {
                max = Math.max(max, x[base + d]);
            }
            if (max == Float.NEGATIVE_INFINITY) {
                java.util.Arrays.fill(x, base, base + dim, 0f);
                return;
            }
            double sum = 0;
            for (int d = 0; d < dim; d++) {
                float e = (float) Math.exp(x[base + d] - max);
                x[base + d] = e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int d = 0; d < dim; d++) {
                x[base + d] *= inv;
            }
        });
    }

    /** out[t] = table[ids[t]] for every t; table [vocab, dim], out [ids.length, dim]. */
    public static void gather(float[] table, int dim, int[] ids, float[] out) {
        int vocab = table.length / dim;
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= vocab) {
                throw new IllegalArgumentException("id " + ids[t] + " at position " + t + " is outside the table of " + vocab + " rows");
            }
            System.arraycopy(table, ids[t] * dim, out, t * dim, dim);
        }
    }

    private static void forRows(int rows, java.util.function.IntConsumer row) {
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        Parallel.forRange(tasks, task -> {
            for (int r = task * ROWS_PER_TASK, end = Math.min(rows, r + ROWS_PER_TASK); r < end; r++) {
                row.accept(r);
            }
        });
    }

    private static void check(float[] x, int rows, int dim, float[] gamma, float[] beta, float[] out) {
        if (x.length < (long) rows * dim || out.length < (long) rows * dim) {
            throw new IllegalArgumentException("x or out shorter than rows*dim = " + rows + "*" + dim);
        }
        if (gamma.length != dim || (beta != null && beta.length != dim)) {
            throw new IllegalArgumentException("gamma/beta must have dim = " + dim + " values, found " + gamma.length
                    + (beta == null ? "" : "/" + beta.length));
        }
    }
}
