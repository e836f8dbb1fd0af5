package dev.spotlight.models.bert;

import dev.spotlight.models.EncoderOutput;
import dev.spotlight.tensor.kernels.Activation;
import dev.spotlight.tensor.kernels.Gemm;

/**
 * A linear map of every token's last hidden state: the classifier of {@code …ForTokenClassification}
 * and the {@code qa_outputs} of {@code …ForQuestionAnswering}. Immutable.
 */
public final class TokenHead {
    private final BertWeights.Linear linear;

    TokenHead(BertWeights.Linear linear) {
        this.linear = linear;
    }

    /** Logits per output of this head. */
    public int outputs() {
        return linear.bias().length;
    }

    /** {@code h · Wᵀ + b} for every packed token: [tokens, outputs]. */
    public float[] apply(EncoderOutput output) {
        int tokens = output.batch().totalTokens();
        float[] out = new float[tokens * outputs()];
        if (tokens > 0) {
            Gemm.matmul(output.lastHidden(), tokens, linear.packed(), linear.bias(), Activation.NONE, null, out);
        }
        return out;
    }
}
