package dev.spotlight.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CaptureValidationTest {
    private static final float[][][][] TWO_TOKENS = {{{{1, 0}, {.5f, .5f}}}};
    private static final AttentionPattern CAUSAL = AttentionPattern.causal();

    @Test
    void raggedAttentionNamesTheIndex() {
        float[][][][] ragged = {{{{1, 0}, {1}}}};
        ExplainException error = assertThrows(ExplainException.class, () -> AttentionShape.of(ragged));
        assertTrue(error.getMessage().startsWith("attention[0][0][1]"), error.getMessage());
    }

    @Test
    void nanProbabilityIsRejected() {
        float[][][][] bad = {{{{Float.NaN}}}};
        ExplainException error = assertThrows(ExplainException.class, () -> AttentionShape.of(bad));
        assertTrue(error.getMessage().contains("NaN"), error.getMessage());
    }

    @Test
    void maskMustCountTheRealTokens() {
        ExplainException error = assertThrows(ExplainException.class, () -> new SequenceCapture("a b",
                List.of("a", "b"), new boolean[2], new int[] {1, 0, 0}, TWO_TOKENS, null));
        assertTrue(error.getMessage().contains("1 ones for 2 real tokens"), error.getMessage());
    }

    @Test
    void paddingSideIsReadFromTheMask() {
        SequenceCapture left = new SequenceCapture("", List.of("a", "b"), new boolean[2], new int[] {0, 1, 1},
                TWO_TOKENS, null);
        SequenceCapture right = new SequenceCapture("", List.of("a", "b"), new boolean[2], new int[] {1, 1, 0},
                TWO_TOKENS, null);
        assertEquals(PaddingSide.LEFT, left.paddingSide());
        assertEquals(PaddingSide.RIGHT, right.paddingSide());
        ExplainException error = assertThrows(ExplainException.class,
                () -> new BatchCapture("m", PaddingSide.RIGHT, List.of(left)));
        assertTrue(error.getMessage().contains("padded on the left, expected right"), error.getMessage());
    }

    @Test
    void encoderCaptureIsBidirectionalAndAllPrompt() {
        SequenceCapture encoder = SequenceCapture.unpadded("", List.of("a", "b"), new boolean[2], TWO_TOKENS, null);
        assertEquals(AttentionPattern.bidirectional(), encoder.pattern());
        assertEquals(2, encoder.promptTokens());
        assertEquals(0, encoder.generatedTokens());
    }

    @Test
    void causalCaptureWithAttentionOnALaterKeyNamesTheEntry() {
        float[][][][] attention = SyntheticAttention.under(CAUSAL, new Random(1), 2, 3, 4);
        attention[1][2][1][3] = 1e-7f;
        ExplainException error = assertThrows(ExplainException.class, () -> decoder(attention, new int[] {1, 1, 1, 1}, 2));
        assertEquals("attention[1][2][1][3] = 1.0E-7: key 3 is hidden from query 1 by the causal pattern,"
                + " expected exactly 0", error.getMessage());
    }

    @Test
    void slidingWindowCaptureWithAttentionOutsideTheWindowIsRejected() {
        AttentionPattern window = AttentionPattern.slidingWindow(2);
        float[][][][] attention = SyntheticAttention.under(window, new Random(2), 1, 1, 4);
        new SequenceCapture("", List.of("a", "b", "c", "d"), new boolean[4], new int[] {1, 1, 1, 1}, attention, null,
                window, 4);
        attention[0][0][3][1] = .25f; // 3 - 1 = 2 is outside a window of 2
        ExplainException error = assertThrows(ExplainException.class, () -> new SequenceCapture("",
                List.of("a", "b", "c", "d"), new boolean[4], new int[] {1, 1, 1, 1}, attention, null, window, 4));
        assertTrue(error.getMessage().startsWith("attention[0][0][3][1] = 0.25: key 1 is hidden from query 3 by the"
                + " sliding_window(2) pattern"), error.getMessage());
    }

    @Test
    void promptTokensMustBeWithinTheTokens() {
        float[][][][] attention = SyntheticAttention.under(CAUSAL, new Random(3), 1, 1, 3);
        ExplainException zero = assertThrows(ExplainException.class, () -> decoder(attention, new int[] {1, 1, 1}, 0));
        assertEquals("promptTokens: 0, expected 1..3 (the tokens that came from the prompt)", zero.getMessage());
        assertThrows(ExplainException.class, () -> decoder(attention, new int[] {1, 1, 1}, 4));
    }

    @Test
    void generatedTokensNeedACausalPattern() {
        ExplainException error = assertThrows(ExplainException.class, () -> new SequenceCapture("", List.of("a", "b"),
                new boolean[2], new int[] {1, 1}, TWO_TOKENS, null, AttentionPattern.bidirectional(), 1));
        assertEquals("promptTokens: 1 of 2 tokens, but generated tokens need a causal or sliding_window pattern,"
                + " not bidirectional", error.getMessage());
    }

    @Test
    void generatedRowMayHavePadsOnBothSidesButNotInside() {
        float[][][][] attention = SyntheticAttention.under(CAUSAL, new Random(4), 1, 2, 3);
        SequenceCapture both = decoder(attention, new int[] {0, 1, 1, 1, 0}, 2);
        assertEquals(1, both.leadingPads());
        assertEquals(1, both.trailingPads());
        assertEquals(1, both.generatedTokens());
        ExplainException inside = assertThrows(ExplainException.class, () -> decoder(attention, new int[] {1, 1, 0, 1, 0}, 2));
        assertTrue(inside.getMessage().contains("expected the prompt and generated tokens as one run of ones"),
                inside.getMessage());
    }

    @Test
    void rowWithoutGeneratedTokensMayNotHavePadsOnBothSides() {
        // Only captures with generated tokens may be padded on both sides.
        SequenceCapture prompt = decoder(SyntheticAttention.under(CAUSAL, new Random(5), 1, 1, 2), new int[] {0, 1, 1, 0}, 2);
        ExplainException error = assertThrows(ExplainException.class,
                () -> new BatchCapture("m", PaddingSide.LEFT, List.of(prompt)));
        assertTrue(error.getMessage().contains("one run at the start or the end"), error.getMessage());
    }

    @Test
    void generatedBatchLeftPadsPromptsAndPadsFinishedRowsAfterwards() {
        // Prompts of 3 and 1 tokens left-padded to 3; the first generates 3 tokens, the second 1 and stops.
        SequenceCapture longer = decoder(SyntheticAttention.under(CAUSAL, new Random(6), 2, 2, 6),
                new int[] {1, 1, 1, 1, 1, 1}, 3);
        SequenceCapture finished = decoder(SyntheticAttention.under(CAUSAL, new Random(7), 2, 2, 2),
                new int[] {0, 0, 1, 1, 0, 0}, 1);
        BatchCapture batch = new BatchCapture("m", PaddingSide.LEFT, List.of(longer, finished));
        assertTrue(batch.hasGeneratedTokens());
        assertEquals(CAUSAL, batch.pattern());

        ExplainException right = assertThrows(ExplainException.class,
                () -> new BatchCapture("m", PaddingSide.RIGHT, List.of(longer, finished)));
        assertEquals("paddingSide: right, but the batch has generated tokens: a generated batch pads its prompts"
                + " on the left (the decoder convention)", right.getMessage());

        SequenceCapture misaligned = decoder(SyntheticAttention.under(CAUSAL, new Random(8), 2, 2, 2),
                new int[] {0, 1, 1, 0, 0, 0}, 1);
        ExplainException shifted = assertThrows(ExplainException.class,
                () -> new BatchCapture("m", PaddingSide.LEFT, List.of(longer, misaligned)));
        assertTrue(shifted.getMessage().startsWith("sequences[1]: prompt ends at padded position 2, expected 3"),
                shifted.getMessage());
    }

    @Test
    void batchSequencesShareOnePattern() {
        SequenceCapture causal = decoder(SyntheticAttention.under(CAUSAL, new Random(9), 1, 1, 2), new int[] {1, 1}, 2);
        SequenceCapture encoder = SequenceCapture.unpadded("", List.of("a", "b"), new boolean[2], TWO_TOKENS, null);
        ExplainException error = assertThrows(ExplainException.class,
                () -> new BatchCapture("m", PaddingSide.LEFT, List.of(causal, encoder)));
        assertEquals("sequences[1].pattern: bidirectional, expected causal like sequences[0] (one model)", error.getMessage());
    }

    private static SequenceCapture decoder(float[][][][] attention, int[] mask, int promptTokens) {
        int n = attention[0][0].length;
        List<String> tokens = java.util.stream.IntStream.range(0, n).mapToObj(i -> "t" + i).toList();
        return new SequenceCapture("", tokens, new boolean[n], mask, attention, null, CAUSAL, promptTokens);
    }
}
