package dev.spotlight.models;

import java.util.List;

/**
 * What an encoder computed for a packed batch. Token rows are packed (real tokens only, in the
 * order of {@link PackedBatch}); {@link #padded} puts them back into the rectangle.
 *
 * @param lastHidden   [tokens, hidden]
 * @param hiddenStates embeddings output then each layer's output, each [tokens, hidden]; empty unless captured
 * @param attentions   [layer][sequence] -> [heads, len, len] probabilities; null unless captured
 * @param valueVectors [layer][sequence] -> [heads, len, hidden] f_h(x_j); null unless captured
 * @param pooler       [batch, hidden] tanh(W·h_CLS + b) when the checkpoint has a pooler, else null
 */
public record EncoderOutput(PackedBatch batch, int hidden, int heads, float[] lastHidden, List<float[]> hiddenStates,
                            float[][][] attentions, float[][][] valueVectors, float[] pooler) {

    /** The last hidden state of one sequence, [len, hidden]. */
    public float[] sequence(int s) {
        int first = batch.cuSeqLens()[s];
        int len = batch.length(s);
        float[] out = new float[len * hidden];
        System.arraycopy(lastHidden, first * hidden, out, 0, out.length);
        return out;
    }

    /** The last hidden state in the padded rectangle [batch, paddedLength, hidden]; padding rows are 0. */
    public float[] padded() {
        int padded = batch.paddedLength();
        float[] out = new float[batch.batchSize() * padded * hidden];
        for (int s = 0; s < batch.batchSize(); s++) {
            for (int row = batch.cuSeqLens()[s]; row < batch.cuSeqLens()[s + 1]; row++) {
                System.arraycopy(lastHidden, row * hidden, out, (s * padded + batch.paddedPosition()[row]) * hidden, hidden);
            }
        }
        return out;
    }

    /** Attention of one sequence in one layer, [heads, len, len]. */
    public float[] attention(int layer, int sequence) {
        if (attentions == null) {
            throw new IllegalStateException("attentions were not captured: pass Capture.ATTENTIONS");
        }
        return attentions[layer][sequence];
    }
}
