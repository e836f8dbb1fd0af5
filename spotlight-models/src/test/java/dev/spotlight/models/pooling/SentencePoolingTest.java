package dev.spotlight.models.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SentencePoolingTest {
    // Three tokens of a 2-dim model, starting at row 1 of the states (row 0 belongs to another sequence).
    private static final float[] STATES = {9, 9, 1, -2, 3, 4, 5, 0};

    @Test
    void meanAveragesOnlyTheSequencesRows() {
        assertArrayEquals(new float[] {3, 2 / 3f}, new SentencePooling(SentencePooling.Mode.MEAN, false).pool(STATES, 1, 3, 2), 1e-7f);
    }

    @Test
    void clsTakesTheFirstRow() {
        assertArrayEquals(new float[] {1, -2}, new SentencePooling(SentencePooling.Mode.CLS, false).pool(STATES, 1, 3, 2));
    }

    @Test
    void maxTakesTheLargestValuePerDimension() {
        assertArrayEquals(new float[] {5, 4}, new SentencePooling(SentencePooling.Mode.MAX, false).pool(STATES, 1, 3, 2));
    }

    @Test
    void normalizeGivesUnitLength() {
        float[] v = new SentencePooling(SentencePooling.Mode.CLS, true).pool(new float[] {3, 4}, 0, 1, 2);
        assertArrayEquals(new float[] {0.6f, 0.8f}, v, 1e-7f);
    }

    @Test
    void anEmptySequenceEmbedsAsZeros() {
        assertArrayEquals(new float[2], new SentencePooling(SentencePooling.Mode.MEAN, true).pool(STATES, 1, 0, 2));
    }

    @Test
    void cosineOfParallelVectorsIsOne() {
        assertEquals(1.0, SentencePooling.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-12);
        assertEquals(0.0, SentencePooling.cosine(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
    }

    @Test
    void unknownModeIsRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> SentencePooling.Mode.parse("weighted"));
        assertEquals("pooling 'weighted' is not one of mean, cls, max", e.getMessage());
    }
}
