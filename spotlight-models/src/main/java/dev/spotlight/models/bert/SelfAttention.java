package dev.spotlight.models.bert;

import dev.spotlight.models.PackedBatch;
import dev.spotlight.tensor.kernels.Attention;
import dev.spotlight.tensor.kernels.AttentionRequest;

/**
 * Multi-head self-attention over a packed batch, and the per-head value vectors that norm-based
 * attribution needs. The attention itself is the tensor module's fused kernel; this class only
 * says which rows belong together and where probabilities go.
 */
final class SelfAttention {
    private SelfAttention() {
    }

    /**
     * Bidirectional attention of every sequence with itself, scale 1/√headDim; when
     * {@code probabilities} is given the kernel also writes each sequence's [heads, len, len] softmax.
     *
     * @param q       [heads, tokens, headDim], likewise k and v
     * @param context [tokens, heads * headDim]
     */
    static void run(float[] q, float[] k, float[] v, float[] context, PackedBatch batch, int heads, int headDim,
                    float[][] probabilities) {
        AttentionRequest request = AttentionRequest.selfAttention(q, k, v, context, batch.cuSeqLens(), heads, headDim)
                .withHeadMajorInputs();
        Attention.forward(probabilities == null ? request : request.withProbabilities(probabilities, null));
    }

    /** One [heads, len, len] buffer per sequence for the kernel to write probabilities into. */
    static float[][] probabilityBuffers(PackedBatch batch, int heads) {
        float[][] out = new float[batch.batchSize()][];
        for (int s = 0; s < out.length; s++) {
            int len = batch.length(s);
            out[s] = new float[heads * len * len];
        }
        return out;
    }

    /**
     * f_h(x_j) = v_j^h · W_o^h for every sequence, head and token: what head h adds to the residual
     * stream per unit of attention on token j (Kobayashi et al. 2020; the output bias is shared by
     * all tokens and left out). Returns per sequence [heads, len, hidden].
     *
     * @param v   [heads, tokens, headDim], bias already added
     * @param wo  attention output dense, PyTorch layout [hidden(out), hidden(in)]
     */
    static float[][] valueVectors(float[] v, float[] wo, PackedBatch batch, int heads, int headDim, int hidden) {
        float[][] out = new float[batch.batchSize()][];
        for (int s = 0; s < out.length; s++) {
            int first = batch.cuSeqLens()[s];
            int len = batch.length(s);
            float[] f = new float[heads * len * hidden];
            for (int h = 0; h < heads; h++) {
                for (int j = 0; j < len; j++) {
                    int vRow = (h * batch.totalTokens() + first + j) * headDim;
                    int fRow = (h * len + j) * hidden;
                    for (int o = 0; o < hidden; o++) {
                        int wRow = o * hidden + h * headDim;
                        float sum = 0;
                        for (int d = 0; d < headDim; d++) {
                            sum += v[vRow + d] * wo[wRow + d];
                        }
                        f[fRow + o] = sum;
                    }
                }
            }
            out[s] = f;
        }
        return out;
    }
}
