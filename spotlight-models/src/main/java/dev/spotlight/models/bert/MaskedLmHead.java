package dev.spotlight.models.bert;

import dev.spotlight.models.EncoderOutput;
import dev.spotlight.tensor.kernels.Activation;
import dev.spotlight.tensor.kernels.Gemm;
import dev.spotlight.tensor.kernels.Norms;

/**
 * The head of {@code …ForMaskedLM}: {@code LayerNorm(act(h·W_t + b_t)) · Eᵀ + b} with E the decoder
 * matrix (usually the word embeddings). Runs only on the rows asked for: the decoder is the largest
 * matrix of a small model and a fill-mask query needs a handful of rows. Immutable.
 */
public final class MaskedLmHead {
    private final BertWeights.Linear transform;
    private final Activation activation;
    private final BertWeights.Norm norm;
    private final float eps;
    private final BertWeights.Linear decoder;
    private final int vocab;

    MaskedLmHead(BertWeights.Linear transform, Activation activation, BertWeights.Norm norm, float eps,
                 BertWeights.Linear decoder, int vocab) {
        this.transform = transform;
        this.activation = activation;
        this.norm = norm;
        this.eps = eps;
        this.decoder = decoder;
        this.vocab = vocab;
    }

    public int vocabSize() {
        return vocab;
    }

    /** Logits over the vocabulary for the given packed token rows: [rows.length, vocab]. */
    public float[] apply(EncoderOutput output, int[] rows) {
        int hidden = output.hidden();
        int n = rows.length;
        float[] out = new float[n * vocab];
        if (n == 0) {
            return out;
        }
        float[] x = new float[n * hidden]; // [rows, hidden]
        for (int i = 0; i < n; i++) {
            System.arraycopy(output.lastHidden(), rows[i] * hidden, x, i * hidden, hidden);
        }
        float[] t = new float[n * hidden];
        Gemm.matmul(x, n, transform.packed(), transform.bias(), activation, null, t);
        Norms.layerNorm(t, n, hidden, norm.gamma(), norm.beta(), eps, t);
        Gemm.matmul(t, n, decoder.packed(), decoder.bias(), Activation.NONE, null, out);
        return out;
    }
}
