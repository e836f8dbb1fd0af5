package dev.spotlight.models.decoder;

/**
 * What a decoder forward pass returns: logits for the rows that were asked for, and the attention of
 * every layer when captured.
 *
 * @param logits     [rows, vocab]
 * @param logitRows  [rows] the packed token row (index into {@link DecoderBatch#ids}) of each logits row
 * @param attentions [layer][sequence], or null when not captured
 */
public record DecoderOutput(DecoderBatch batch, int vocab, float[] logits, int[] logitRows,
                            AttentionCapture[][] attentions) {

    /** The logits of logits row r (a copy), [vocab]. */
    public float[] row(int r) {
        float[] out = new float[vocab];
        System.arraycopy(logits, r * vocab, out, 0, vocab);
        return out;
    }

    /** The logits after the last new token of sequence s (a copy), [vocab]; null when it had no new token. */
    public float[] last(int s) {
        int row = batch.cuSeqLens()[s + 1] - 1;
        if (batch.length(s) == 0) {
            return null;
        }
        for (int r = logitRows.length - 1; r >= 0; r--) {
            if (logitRows[r] == row) {
                return row(r);
            }
        }
        throw new IllegalStateException("logits for the last token of sequence " + s + " were not computed");
    }
}
