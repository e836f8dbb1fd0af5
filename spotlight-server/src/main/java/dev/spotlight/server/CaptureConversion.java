package dev.spotlight.server;

import dev.spotlight.explain.BatchCapture;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.explain.SequenceCapture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a model run into explain's capture types. spotlight-explain knows nothing of models, so this
 * is where the encoder's flat per-sequence buffers become {@code [layer][head][query][key]} arrays and
 * the tokenizer's padded encodings become real tokens plus an attention mask. Used by the CLI's
 * viewers and the server's {@code /attention}.
 */
public final class CaptureConversion {
    private CaptureConversion() {
    }

    /**
     * @param captions one caption per sequence (the text as typed)
     * @param side     the padding side the batch was encoded with
     */
    public static BatchCapture of(String model, EncoderModel.Encoded encoded, List<String> captions, PaddingSide side) {
        EncoderOutput output = encoded.output();
        List<SequenceCapture> sequences = new ArrayList<>();
        for (int s = 0; s < encoded.encodings().size(); s++) {
            sequences.add(sequence(encoded.encodings().get(s), output, s, captions.get(s)));
        }
        return new BatchCapture(model, side, sequences);
    }

    private static SequenceCapture sequence(Encoding encoding, EncoderOutput output, int s, String caption) {
        int[] mask = encoding.attentionMask();
        int[] specialMask = encoding.specialTokensMask();
        List<String> tokens = new ArrayList<>();
        List<Boolean> special = new ArrayList<>();
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] == 1) {
                tokens.add(encoding.token(p));
                special.add(specialMask[p] == 1);
            }
        }
        int len = output.batch().length(s);
        if (len != tokens.size()) {
            throw new IllegalStateException("sequence " + s + ": the encoder computed " + len
                    + " tokens but the attention mask has " + tokens.size());
        }
        boolean[] specialFlags = new boolean[len];
        for (int i = 0; i < len; i++) {
            specialFlags[i] = special.get(i);
        }
        int layers = output.attentions().length;
        int heads = output.heads();
        float[][][][] attention = new float[layers][heads][len][len]; // [layer][head][query][key]
        for (int l = 0; l < layers; l++) {
            float[] flat = output.attention(l, s); // [heads, len, len]
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < len; i++) {
                    System.arraycopy(flat, (h * len + i) * len, attention[l][h][i], 0, len);
                }
            }
        }
        float[][][][] values = null;
        if (output.valueVectors() != null) {
            int hidden = output.hidden();
            values = new float[layers][heads][len][hidden]; // [layer][head][token][hidden]
            for (int l = 0; l < layers; l++) {
                float[] flat = output.valueVectors()[l][s]; // [heads, len, hidden]
                for (int h = 0; h < heads; h++) {
                    for (int j = 0; j < len; j++) {
                        System.arraycopy(flat, (h * len + j) * hidden, values[l][h][j], 0, hidden);
                    }
                }
            }
        }
        return new SequenceCapture(caption, tokens, specialFlags, mask.clone(), attention, values);
    }
}
