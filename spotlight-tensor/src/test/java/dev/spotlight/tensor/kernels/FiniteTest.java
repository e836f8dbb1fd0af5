package dev.spotlight.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FiniteTest {

    @Test
    void theFirstNanOrInfinityIsFoundInTheVectorBodyAndInTheTail() {
        for (int length : new int[] {0, 1, 7, 16, 33, 100}) {
            float[] x = new float[length];
            for (int i = 0; i < length; i++) {
                x[i] = (i % 5 - 2) * (Float.MAX_VALUE / 3);   // large but finite, both signs
            }
            assertEquals(-1, Finite.firstNonFinite(x, 0, length), "length " + length);
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                for (int at = 0; at < length; at++) {
                    float[] y = x.clone();
                    y[at] = bad;
                    if (at + 1 < length) {
                        y[length - 1] = Float.NaN;   // a later one is not the answer
                    }
                    assertEquals(at, Finite.firstNonFinite(y, 0, length), "length " + length + ", " + bad + " at " + at);
                }
            }
        }
    }

    @Test
    void onlyTheRangeAskedForIsRead() {
        float[] x = new float[40];
        Arrays.fill(x, 1f);
        x[3] = Float.NaN;
        x[37] = Float.POSITIVE_INFINITY;
        assertEquals(-1, Finite.firstNonFinite(x, 4, 37));
        assertEquals(37, Finite.firstNonFinite(x, 4, 40));
        assertEquals(3, Finite.firstNonFinite(x, 0, 37));
        assertThrows(IndexOutOfBoundsException.class, () -> Finite.firstNonFinite(x, 5, 41));
    }
}
