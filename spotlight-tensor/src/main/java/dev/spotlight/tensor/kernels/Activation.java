package dev.spotlight.tensor.kernels;

/** Element-wise functions fused into the GEMM epilogue; {@link #apply} is the scalar reference, {@link VectorMath} the vector form. */
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
}
