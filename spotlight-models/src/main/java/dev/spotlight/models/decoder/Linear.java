package dev.spotlight.models.decoder;

import dev.spotlight.tensor.kernels.Activation;
import dev.spotlight.tensor.kernels.Gemm;
import dev.spotlight.tensor.kernels.PackedMatrix;
import dev.spotlight.tensor.kernels.Q8Gemm;
import dev.spotlight.tensor.kernels.Q8Matrix;

/**
 * A decoder's linear layer, y = x·Wᵀ + b, in the form its file keeps the weights: packed for the
 * GEMM (F32, or BF16/F16 widened in registers), or int8 with group scales, which llama2.c's runq.c
 * multiplies by quantizing the activations too. Forward passes call the static methods and never
 * look at the form.
 */
public sealed interface Linear {

    /** Input features. */
    int in();

    /** Output features. */
    int out();

    /** @param bias [out] or null */
    record Dense(PackedMatrix w, float[] bias) implements Linear {
        @Override
        public int in() {
            return w.k();
        }

        @Override
        public int out() {
            return w.n();
        }
    }

    /** int8 weights [out, in]; activations are quantized per group before each product, as runq.c does. */
    record Quantized(Q8Matrix w) implements Linear {
        @Override
        public int in() {
            return w.cols();
        }

        @Override
        public int out() {
            return w.rows();
        }
    }

    /**
     * outs[i] = x · layers[i] for several layers of the same input, [m, out_i] each, or head-major
     * [out_i / headDim, m, headDim] when {@code headDim} > 0. Dense layers run as one parallel loop.
     */
    static void project(float[] x, int m, Linear[] layers, float[][] outs, int headDim) {
        boolean dense = true;
        for (Linear l : layers) {
            dense &= l instanceof Dense;
        }
        if (dense) {
            PackedMatrix[] ws = new PackedMatrix[layers.length];
            float[][] biases = new float[layers.length][];
            for (int i = 0; i < layers.length; i++) {
                ws[i] = ((Dense) layers[i]).w();
                biases[i] = ((Dense) layers[i]).bias();
            }
            if (headDim > 0) {
                Gemm.matmulEachHeadMajor(x, m, ws, biases, headDim, outs);
            } else {
                Gemm.matmulEach(x, m, ws, biases, outs);
            }
            return;
        }
        for (int i = 0; i < layers.length; i++) {
            float[] tokenMajor = headDim > 0 ? new float[m * layers[i].out()] : outs[i];
            apply(x, m, layers[i], tokenMajor);
            if (headDim > 0) {
                toHeadMajor(tokenMajor, m, layers[i].out(), headDim, outs[i]);
            }
        }
    }

    /** out = residual + x · layer, [m, out]; {@code out} must not be {@code residual}. */
    static void projectAdding(float[] x, int m, Linear layer, float[] residual, float[] out) {
        switch (layer) {
            case Dense d -> Gemm.matmul(x, m, d.w(), d.bias(), Activation.NONE, residual, out);
            case Quantized q -> {
                Q8Gemm.matmul(x, m, q.w(), out);
                for (int i = 0; i < m * q.out(); i++) {
                    out[i] = residual[i] + out[i];
                }
            }
        }
    }

    /** out = x · layer, [m, out]. */
    static void apply(float[] x, int m, Linear layer, float[] out) {
        switch (layer) {
            case Dense d -> Gemm.matmul(x, m, d.w(), d.bias(), Activation.NONE, null, out);
            case Quantized q -> Q8Gemm.matmul(x, m, q.w(), out);
        }
    }

    /** [m, n] → [n / headDim, m, headDim]. */
    private static void toHeadMajor(float[] x, int m, int n, int headDim, float[] out) {
        for (int t = 0; t < m; t++) {
            for (int h = 0; h < n / headDim; h++) {
                System.arraycopy(x, t * n + h * headDim, out, (h * m + t) * headDim, headDim);
            }
        }
    }

    /** Bytes the weights take in memory. */
    default long bytes() {
        return switch (this) {
            case Dense d -> d.w().bytes() + (d.bias() == null ? 0 : 4L * d.bias().length);
            case Quantized q -> (long) q.w().rows() * q.w().cols() * (1 + 4L / q.w().groupSize());
        };
    }
}
