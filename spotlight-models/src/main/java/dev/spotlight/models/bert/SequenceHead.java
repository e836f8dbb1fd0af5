package dev.spotlight.models.bert;

import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.PackedBatch;
import dev.spotlight.tensor.kernels.Activation;
import dev.spotlight.tensor.kernels.Gemm;

/**
 * The head of {@code …ForSequenceClassification}, on each sequence's first token: BERT's pooler
 * ({@code tanh(W·h_CLS + b)}, computed by the encoder) then the classifier; RoBERTa's dense → tanh →
 * out_proj; DistilBERT's pre_classifier → ReLU → classifier. Dropout is off at inference. Immutable.
 */
public final class SequenceHead {
    enum Kind { POOLER, TANH, RELU }

    private final Kind kind;
    private final BertWeights.Linear dense;       // null for POOLER: the encoder's pooler stands in
    private final BertWeights.Linear classifier;

    SequenceHead(Kind kind, BertWeights.Linear dense, BertWeights.Linear classifier) {
        this.kind = kind;
        this.dense = dense;
        this.classifier = classifier;
    }

    public int labels() {
        return classifier.bias().length;
    }

    /** Logits per sequence: [batch, labels]. */
    public float[] apply(EncoderOutput output) {
        PackedBatch batch = output.batch();
        int n = batch.batchSize();
        int hidden = output.hidden();
        float[] out = new float[n * labels()];
        if (n == 0) {
            return out;
        }
        float[] x; // [batch, hidden]
        if (kind == Kind.POOLER) {
            x = output.pooler();
        } else {
            float[] first = new float[n * hidden];
            for (int s = 0; s < n; s++) {
                System.arraycopy(output.lastHidden(), batch.cuSeqLens()[s] * hidden, first, s * hidden, hidden);
            }
            x = new float[n * hidden];
            Gemm.matmul(first, n, dense.packed(), dense.bias(), kind == Kind.RELU ? Activation.RELU : Activation.NONE, null, x);
            if (kind == Kind.TANH) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) Math.tanh(x[i]);
                }
            }
        }
        Gemm.matmul(x, n, classifier.packed(), classifier.bias(), Activation.NONE, null, out);
        return out;
    }
}
