package dev.spotlight.explain;

import java.util.Arrays;
import java.util.List;

/**
 * What a model run captured for one sequence of a batch: its real tokens, where they sit in the padded
 * rectangle, and the attention among them. Attention is over real tokens only (the engine never
 * computes padded rows); {@code attentionMask} keeps the padded layout so viewers can draw it.
 *
 * @param text          the input as the user typed it (a pair joined by " | " is fine), shown as a caption
 * @param tokens        {@code [tokens]} real token strings, special tokens included
 * @param special       {@code [tokens]} true where the tokenizer added the token (special_tokens_mask)
 * @param attentionMask {@code [paddedLength]} 1 for a real token, 0 for padding, as Hugging Face returns it
 * @param attention     {@code [layer][head][query][key]} attention probabilities over real tokens
 * @param headValues    {@code [layer][head][token][hidden]} per-head transformed values
 *                      {@code f_h(x_j) = (x_j W_v^h + b_v^h) W_o^h}, or null when not captured
 */
public record SequenceCapture(String text, List<String> tokens, boolean[] special, int[] attentionMask,
                              float[][][][] attention, float[][][][] headValues) {

    public SequenceCapture {
        tokens = List.copyOf(tokens);
        AttentionShape shape = AttentionShape.of(attention);
        if (tokens.size() != shape.tokens()) {
            throw new ExplainException("tokens: " + tokens.size() + " strings for attention over "
                    + shape.tokens() + " tokens");
        }
        if (special == null || special.length != tokens.size()) {
            throw new ExplainException("special: expected " + tokens.size() + " flags, got "
                    + (special == null ? "null" : special.length));
        }
        if (attentionMask == null) {
            throw new ExplainException("attentionMask: expected an array, got null");
        }
        int ones = 0;
        for (int i = 0; i < attentionMask.length; i++) {
            if (attentionMask[i] != 0 && attentionMask[i] != 1) {
                throw new ExplainException("attentionMask[" + i + "] = " + attentionMask[i] + ": expected 0 or 1");
            }
            ones += attentionMask[i];
        }
        if (ones != tokens.size()) {
            throw new ExplainException("attentionMask: " + ones + " ones for " + tokens.size() + " real tokens");
        }
        if (text == null) {
            text = "";
        }
    }

    /** A sequence that was not padded: the mask is all ones. */
    public static SequenceCapture unpadded(String text, List<String> tokens, boolean[] special,
                                           float[][][][] attention, float[][][][] headValues) {
        int[] mask = new int[tokens.size()];
        Arrays.fill(mask, 1);
        return new SequenceCapture(text, tokens, special, mask, attention, headValues);
    }

    public AttentionShape shape() {
        return new AttentionShape(attention.length, attention[0].length, tokens.size());
    }

    public int paddedLength() {
        return attentionMask.length;
    }

    /** The side the pads are on, or null when there are none. Throws if real tokens are not contiguous. */
    public PaddingSide paddingSide() {
        int n = tokens.size();
        int padded = attentionMask.length;
        if (n == padded) {
            return null;
        }
        if (isRun(0, n)) {
            return PaddingSide.RIGHT;
        }
        if (isRun(padded - n, padded)) {
            return PaddingSide.LEFT;
        }
        throw new ExplainException("attentionMask " + Arrays.toString(attentionMask)
                + ": expected the real tokens as one run at the start or the end");
    }

    private boolean isRun(int from, int to) {
        for (int i = from; i < to; i++) {
            if (attentionMask[i] != 1) {
                return false;
            }
        }
        return true;
    }
}
