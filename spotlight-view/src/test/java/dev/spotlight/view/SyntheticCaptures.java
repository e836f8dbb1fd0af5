package dev.spotlight.view;

import dev.spotlight.explain.AttentionPattern;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.explain.SequenceCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Captures for renderer tests, so the viewer is tested without a model: softmax rows of random scores
 * with a few structured heads (previous token, [CLS], self) so pictures look like real attention.
 */
public final class SyntheticCaptures {
    /** Token text that must show literally: script tags, attribute breakers, a line separator. */
    public static final String XSS_SCRIPT = "<script>window.__xss=1</script>";
    public static final String XSS_IMG = "\"><img src=x onerror=\"window.__xss=2\">";
    public static final String XSS_CLOSE = "</script><b>bold</b>";

    private SyntheticCaptures() {
    }

    /** One encoder sequence over the given tokens, padded into {@code paddedLength} on {@code side}. */
    public static SequenceCapture sequence(Random random, String text, List<String> tokens, int layers, int heads,
                                           int hidden, int paddedLength, PaddingSide side) {
        int n = tokens.size();
        int[] mask = new int[paddedLength];
        int offset = side == PaddingSide.LEFT ? paddedLength - n : 0;
        for (int i = 0; i < n; i++) {
            mask[offset + i] = 1;
        }
        return new SequenceCapture(text, tokens, specialFlags(tokens), mask,
                attention(random, n, layers, heads, AttentionPattern.bidirectional(), n), values(random, n, layers, heads, hidden));
    }

    /**
     * {@code [layers][heads][n][n]}: softmax over the keys {@code pattern} shows (hidden keys exactly 0) of
     * random scores, each head leaning one way: previous token, first token, itself, or the end of the prompt.
     */
    private static float[][][][] attention(Random random, int n, int layers, int heads, AttentionPattern pattern,
                                           int promptTokens) {
        float[][][][] attention = new float[layers][heads][n][n];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                int kind = (l * heads + h) % 4;
                for (int i = 0; i < n; i++) {
                    double[] score = new double[n];
                    for (int j = 0; j < n; j++) {
                        score[j] = 1.2 * random.nextGaussian();
                    }
                    switch (kind) {
                        case 0 -> score[Math.max(0, i - 1)] += 4;
                        case 1 -> score[0] += 3.5;
                        case 2 -> score[i] += 3;
                        default -> score[pattern.visible(i, promptTokens - 1) ? promptTokens - 1 : i] += 2.5;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (double s : score) {
                        max = Math.max(max, s);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        score[j] = pattern.visible(i, j) ? Math.exp(score[j] - max) : 0;
                        sum += score[j];
                    }
                    for (int j = 0; j < n; j++) {
                        attention[l][h][i][j] = (float) (score[j] / sum);
                    }
                }
            }
        }
        return attention;
    }

    /** {@code [layers][heads][n][hidden]} per-head value vectors of varied sizes, or null when hidden is 0. */
    private static float[][][][] values(Random random, int n, int layers, int heads, int hidden) {
        if (hidden == 0) {
            return null;
        }
        float[][][][] values = new float[layers][heads][n][hidden];
        for (float[][][] layer : values) {
            for (float[][] head : layer) {
                for (float[] token : head) {
                    double size = 0.2 + 2 * random.nextDouble();
                    for (int d = 0; d < hidden; d++) {
                        token[d] = (float) (size * random.nextGaussian());
                    }
                }
            }
        }
        return values;
    }

    private static boolean[] specialFlags(List<String> tokens) {
        boolean[] special = new boolean[tokens.size()];
        for (int i = 0; i < special.length; i++) {
            String t = tokens.get(i);
            special[i] = (t.startsWith("[") && t.endsWith("]")) || t.equals("<s>") || t.equals("</s>");
        }
        return special;
    }

    /** Three inputs (one full of markup), right padding, 4 layers × 6 heads, value vectors of 16. */
    public static BatchCapture smallBatch(PaddingSide side) {
        Random random = new Random(42);
        List<List<String>> tokens = List.of(
                List.of("[CLS]", "the", "cat", "sat", "on", "the", "mat", "because", "it", "was", "tired", ".", "[SEP]"),
                List.of("[CLS]", XSS_SCRIPT, XSS_IMG, "'quote'", "line\u2028sep", XSS_CLOSE, "[SEP]"),
                List.of("[CLS]", "dogs", "bark", "[SEP]"));
        List<String> texts = List.of("The cat sat on the mat because it was tired.",
                XSS_SCRIPT + " " + XSS_IMG + " 'quote' line\u2028sep " + XSS_CLOSE, "Dogs bark");
        int padded = 13;
        List<SequenceCapture> sequences = new ArrayList<>();
        for (int s = 0; s < tokens.size(); s++) {
            sequences.add(sequence(random, texts.get(s), tokens.get(s), 4, 6, 16, padded, side));
        }
        return new BatchCapture("synthetic-4x6", side, sequences);
    }

    /** One input of {@code n} tokens, unpadded. */
    public static BatchCapture longInput(int n, int layers, int heads, int hidden) {
        List<String> tokens = new ArrayList<>();
        tokens.add("[CLS]");
        String[] words = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "then", "runs", "##ing"};
        for (int i = 1; i < n - 1; i++) {
            tokens.add(words[i % words.length]);
        }
        tokens.add("[SEP]");
        SequenceCapture sequence = sequence(new Random(5), String.join(" ", tokens.subList(1, n - 1)), tokens, layers,
                heads, hidden, n, PaddingSide.RIGHT);
        return new BatchCapture("synthetic-long", PaddingSide.RIGHT, List.of(sequence));
    }

    /**
     * A generated batch as Hugging Face {@code generate} lays it out, 3 layers × 4 heads, causal, value
     * vectors of 8. Prompts of 5 and 3 tokens are left-padded to 5; the first row generates 6 tokens (one
     * of them markup), the second 3 ending in {@code </s>} (one markup) and then gets 3 trailing pads.
     * Padded length 11.
     */
    public static BatchCapture decoderBatch() {
        Random random = new Random(7);
        List<String> prompt0 = List.of("<s>", "Once", "upon", "a", "time");
        List<String> generated0 = List.of(",", "there", "was", XSS_SCRIPT, "girl", ".");
        List<String> prompt1 = List.of("<s>", "The", "cat");
        List<String> generated1 = List.of("sat", XSS_IMG, "</s>");
        int promptLength = 5;
        int padded = promptLength + generated0.size();
        return new BatchCapture("synthetic-decoder-3x4", PaddingSide.LEFT, List.of(
                decoderSequence(random, prompt0, generated0, promptLength, padded),
                decoderSequence(random, prompt1, generated1, promptLength, padded)));
    }

    private static SequenceCapture decoderSequence(Random random, List<String> prompt, List<String> generated,
                                                   int promptLength, int padded) {
        List<String> tokens = new ArrayList<>(prompt);
        tokens.addAll(generated);
        int n = tokens.size();
        int[] mask = new int[padded];
        int offset = promptLength - prompt.size(); // left padding puts every prompt's end in one column
        for (int i = 0; i < n; i++) {
            mask[offset + i] = 1;
        }
        String text = String.join(" ", prompt.subList(1, prompt.size())) + " ⟶ " + String.join(" ", generated);
        AttentionPattern causal = AttentionPattern.causal();
        return new SequenceCapture(text, tokens, specialFlags(tokens), mask,
                attention(random, n, 3, 4, causal, prompt.size()), values(random, n, 3, 4, 8), causal, prompt.size());
    }

    /** One generated sequence under a sliding window: 3 prompt + 3 generated tokens, 2 layers × 2 heads, unpadded. */
    public static BatchCapture slidingWindowBatch(int window) {
        List<String> tokens = List.of("<s>", "red", "sky", "at", "night", "</s>");
        AttentionPattern pattern = AttentionPattern.slidingWindow(window);
        Random random = new Random(3);
        SequenceCapture sequence = new SequenceCapture("red sky ⟶ at night", tokens, specialFlags(tokens),
                new int[] {1, 1, 1, 1, 1, 1}, attention(random, 6, 2, 2, pattern, 3), values(random, 6, 2, 2, 4), pattern, 3);
        return new BatchCapture("synthetic-window", PaddingSide.LEFT, List.of(sequence));
    }
}
