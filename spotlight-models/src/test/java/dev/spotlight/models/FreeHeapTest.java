package dev.spotlight.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FreeHeapTest {
    /** Keeps the allocations below from being removed as dead code. */
    private static volatile byte[] last;

    @Test
    void garbageNotYetCollectedIsNotReportedAsUsed() {
        long before = FreeHeap.measure();
        for (int i = 0; i < 256; i++) {
            last = new byte[1 << 20];  // 256 MB of garbage: the plain reading drops by that much until a collection
        }
        last = null;
        long wanted = before - (32L << 20);
        assertTrue(FreeHeap.bytes(wanted) >= wanted, "the garbage was counted as used");
    }

    @Test
    void collectsOnlyWhenTheFirstReadingFallsShort() {
        int[] collections = {0};
        assertTrue(FreeHeap.bytes(1, () -> collections[0]++) > 0);
        assertEquals(0, collections[0], "a request that fits asked for a collection");
        FreeHeap.bytes(Long.MAX_VALUE, () -> collections[0]++);
        assertEquals(1, collections[0], "a shortfall was reported without asking for a collection");
    }
}
