package dev.spotlight.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureValidationTest {
    private static final float[][][][] TWO_TOKENS = {{{{1, 0}, {.5f, .5f}}}};

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
}
