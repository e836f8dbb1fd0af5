package dev.spotlight.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttentionPatternTest {

    @Test
    void bidirectionalSeesEveryKey() {
        AttentionPattern p = AttentionPattern.bidirectional();
        assertTrue(p.visible(0, 5) && p.visible(5, 0) && p.visible(3, 3));
        assertFalse(p.masksKeys());
    }

    @Test
    void causalSeesTheQueryAndEarlierKeys() {
        AttentionPattern p = AttentionPattern.causal();
        assertTrue(p.visible(3, 0) && p.visible(3, 3));
        assertFalse(p.visible(3, 4));
        assertFalse(p.visible(0, 1));
        assertTrue(p.masksKeys());
    }

    @Test
    void slidingWindowSeesTheLastWindowKeys() {
        // Window 3: query 5 sees keys 3, 4, 5 (i - j < 3), as Hugging Face's sliding-window mask.
        AttentionPattern p = AttentionPattern.slidingWindow(3);
        assertFalse(p.visible(5, 2));
        assertTrue(p.visible(5, 3) && p.visible(5, 4) && p.visible(5, 5));
        assertFalse(p.visible(5, 6));
        assertTrue(p.visible(1, 0), "near the start the window is cut by the sequence, not shifted");
        AttentionPattern one = AttentionPattern.slidingWindow(1);
        assertTrue(one.visible(4, 4));
        assertFalse(one.visible(4, 3));
    }

    @Test
    void windowOnlyBelongsToSlidingWindow() {
        ExplainException zero = assertThrows(ExplainException.class, () -> AttentionPattern.slidingWindow(0));
        assertEquals("pattern sliding_window: window 0, expected at least 1", zero.getMessage());
        ExplainException causal = assertThrows(ExplainException.class,
                () -> new AttentionPattern(AttentionPattern.Kind.CAUSAL, 4));
        assertEquals("pattern causal: window 4, expected 0 (only sliding_window has a window)", causal.getMessage());
        assertThrows(ExplainException.class, () -> new AttentionPattern(null, 0));
    }

    @Test
    void layersOfSlidingWindowsReachFurtherBack() {
        // Each layer adds window - 1 keys of reach: 3 layers of window 4 reach 9 back, a window of 10.
        assertEquals(AttentionPattern.slidingWindow(10), AttentionPattern.slidingWindow(4).throughLayers(3));
        assertEquals(AttentionPattern.slidingWindow(4), AttentionPattern.slidingWindow(4).throughLayers(1));
        assertEquals(AttentionPattern.slidingWindow(1), AttentionPattern.slidingWindow(1).throughLayers(7));
        assertEquals(AttentionPattern.causal(), AttentionPattern.causal().throughLayers(12));
        assertEquals(AttentionPattern.causal(), AttentionPattern.slidingWindow(Integer.MAX_VALUE).throughLayers(2));
    }

    @Test
    void namesReadLikeTheViewerJson() {
        assertEquals("sliding_window", AttentionPattern.Kind.SLIDING_WINDOW.jsonName());
        assertEquals("sliding_window(4096)", AttentionPattern.slidingWindow(4096).toString());
        assertEquals("causal", AttentionPattern.causal().toString());
    }
}
