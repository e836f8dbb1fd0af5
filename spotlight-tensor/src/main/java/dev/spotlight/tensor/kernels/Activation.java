package dev.spotlight.tensor.kernels;

import jdk.incubator.vector.FloatVector;

/** Element-wise functions fused into the GEMM epilogue: a scalar reference and the vector form the kernel uses. */
public enum Activation {
    NONE,
    /** 0.5·x·(1 + erf(x/√2)), the exact GELU of BERT and PyTorch's default. */
    GELU_ERF,
    /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), GPT-2's approximation. */
    GELU_TANH,
    RELU;

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    public float apply(float x) {
        return switch (this) {
            case NONE -> x;
            case GELU_ERF -> (float) (0.5 * x * (1 + Erf.erf(x * SQRT_HALF)));  // reference: exact erf in double
            case GELU_TANH -> (float) (0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
            case RELU -> Math.max(0f, x);
        };
    }

    /** The same function on a vector of lanes; GELU_ERF uses {@link Erf#erf(FloatVector)} (|error| ≤ 1.5e-7). */
    public FloatVector apply(FloatVector x) {
        return switch (this) {
            case NONE -> x;
            case GELU_ERF -> x.mul(0.5f).mul(Erf.erf(x.mul((float) SQRT_HALF)).add(1f));
            case GELU_TANH -> {
                FloatVector inner = x.mul(x).mul(x).mul(0.044715f).add(x).mul((float) SQRT_2_OVER_PI);
                yield x.mul(0.5f).mul(VectorMath.tanh(inner).add(1f));
            }
            case RELU -> x.max(0f);
        };
    }
}
