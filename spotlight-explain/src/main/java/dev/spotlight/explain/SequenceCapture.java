package dev.spotlight.explain;

import java.util.Arrays;
import java.util.List;

/**
 * What a model run captured for one sequence of a batch: its real tokens, where they sit in the padded
 * rectangle, and the attention among them. Attention is over real tokens only (the engine never
 * computes padded rows); {@code attentionMask} keeps the padded layout so viewers can draw it.
 *
 * <p>An encoder's tokens all come from the input; a decoder's first {@code promptTokens} come from the
 * prompt and the rest were generated. The attention stays square over all of them, with exactly 0
 * wherever {@code pattern} hides a key (the upper triangle of a causal pattern).
 *
 * @param text          the input as the user typed it (a pair joined by " | " is fine), shown as a caption
 * @param tokens        {@code [tokens]} real token strings, special tokens included, prompt then generated
 * @param special       {@code [tokens]} true where the tokenizer added the token (special_tokens_mask), or
 *                      for a generated special token (EOS)
 * @param attentionMask {@code [paddedLength]} 1 for a real token, 0 for padding, as Hugging Face returns it;
 *                      the ones are one run, with pads before it (left padding), after it (right padding, or
 *                      a generated row that finished before the longest) or, for a generated row, both
 * @param attention     {@code [layer][head][query][key]} attention probabilities over real tokens
 * @param headValues    {@code [layer][head][token][hidden]} per-head transformed values
 *                      {@code f_h(x_j) = (x_j W_v^h + b_v^h) W_o^h}, or null when not captured
 * @param pattern       which keys each query may see
 * @param promptTokens  how many of the tokens came from the prompt (1..tokens); the rest were generated
 */
public record SequenceCapture(String text, List<String> tokens, boolean[] special, int[] attentionMask,
                              float[][][][] attention, float[][][][] headValues, AttentionPattern pattern,
                              int promptTokens) {

    public SequenceCapture {
        if (tokens == null) {
            throw new ExplainException("tokens: expected a list of token strings, got null");
        }
        tokens = List.copyOf(tokens);
        AttentionShape shape = AttentionShape.of(attention);
        int n = tokens.size();
        if (n != shape.tokens()) {
            throw new ExplainException("tokens: " + n + " strings for attention over " + shape.tokens() + " tokens");
        }
        if (special == null || special.length != n) {
            throw new ExplainException("special: expected " + n + " flags, got "
                    + (special == null ? "null" : special.length));
        }
        if (pattern == null) {
            throw new ExplainException("pattern: expected bidirectional, causal or sliding_window, got null");
        }
        if (promptTokens < 1 || promptTokens > n) {
            throw new ExplainException("promptTokens: " + promptTokens + ", expected 1.." + n + " (the tokens that"
                    + " came from the prompt)");
        }
        if (promptTokens < n && !pattern.masksKeys()) {
            throw new ExplainException("promptTokens: " + promptTokens + " of " + n + " tokens, but generated tokens"
                    + " need a causal or sliding_window pattern, not " + pattern.kind().jsonName());
        }
        checkMask(attentionMask, n, promptTokens < n);
        checkHiddenKeysAreZero(attention, pattern);
        if (text == null) {
            text = "";
        }
    }

    /** An encoder's capture: bidirectional attention, every token from the input. */
    public SequenceCapture(String text, List<String> tokens, boolean[] special, int[] attentionMask,
                           float[][][][] attention, float[][][][] headValues) {
        this(text, tokens, special, attentionMask, attention, headValues, AttentionPattern.bidirectional(),
                tokens == null ? 0 : tokens.size());
    }

    /** An encoder's capture of a sequence that was not padded: the mask is all ones. */
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

    /** How many tokens were generated after the prompt (0 for an encoder). */
    public int generatedTokens() {
        return tokens.size() - promptTokens;
    }

    /** Pads before the first real token. */
    public int leadingPads() {
        int p = 0;
        while (p < attentionMask.length && attentionMask[p] == 0) {
            p++;
        }
        return p;
    }

    /** Pads after the last real token. */
    public int trailingPads() {
        int p = attentionMask.length;
        while (p > 0 && attentionMask[p - 1] == 0) {
            p--;
        }
        return attentionMask.length - p;
    }

    /** Whether the real tokens are one run of ones, whatever pads surround it. */
    public boolean isOneRun() {
        return leadingPads() + tokens.size() + trailingPads() == attentionMask.length;
    }

    /**
     * The side the pads are on, or null when there are none. Throws unless the real tokens are one run
     * at the start or the end: a row with pads on both sides (a generated row) has no single side.
     */
    public PaddingSide paddingSide() {
        int n = tokens.size();
        if (n == attentionMask.length) {
            return null;
        }
        if (trailingPads() == attentionMask.length - n) {
            return PaddingSide.RIGHT;
        }
        if (leadingPads() == attentionMask.length - n) {
            return PaddingSide.LEFT;
        }
        throw new ExplainException("attentionMask " + Arrays.toString(attentionMask)
                + ": expected the real tokens as one run at the start or the end");
    }

    private static void checkMask(int[] mask, int n, boolean generated) {
        if (mask == null) {
            throw new ExplainException("attentionMask: expected an array, got null");
        }
        int ones = 0;
        int runs = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0 && mask[i] != 1) {
                throw new ExplainException("attentionMask[" + i + "] = " + mask[i] + ": expected 0 or 1");
            }
            ones += mask[i];
            if (mask[i] == 1 && (i == 0 || mask[i - 1] == 0)) {
                runs++;
            }
        }
        if (ones != n) {
            throw new ExplainException("attentionMask: " + ones + " ones for " + n + " real tokens");
        }
        // Prompt and generated tokens are one stretch of positions (position ids count along it), so a
        // generated row may have pads on both sides but never inside.
        if (generated && runs != 1) {
            throw new ExplainException("attentionMask " + Arrays.toString(mask) + ": expected the prompt and"
                    + " generated tokens as one run of ones (pads only before or after it)");
        }
    }

    private static void checkHiddenKeysAreZero(float[][][][] attention, AttentionPattern pattern) {
        if (!pattern.masksKeys()) {
            return;
        }
        for (int l = 0; l < attention.length; l++) {
            for (int h = 0; h < attention[l].length; h++) {
                float[][] a = attention[l][h]; // [query][key]
                for (int i = 0; i < a.length; i++) {
                    for (int j = 0; j < a[i].length; j++) {
                        // Exactly 0: a masked score is -inf before softmax, so anything else means the
                        // capture did not apply the pattern it claims.
                        if (a[i][j] != 0f && !pattern.visible(i, j)) {
                            throw new ExplainException("attention[" + l + "][" + h + "][" + i + "][" + j + "] = "
                                    + a[i][j] + ": key " + j + " is hidden from query " + i + " by the "
                                    + pattern + " pattern, expected exactly 0");
                        }
                    }
                }
            }
        }
    }
}
