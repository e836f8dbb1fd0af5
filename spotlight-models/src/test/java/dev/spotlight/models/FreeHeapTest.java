package dev.spotlight.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class FreeHeapTest {
    /** Keeps the allocations below from being removed as dead code. */
    private static volatile byte[] last;

    @Test
    void garbageNotYetCollectedIsNotReportedAsUsed() {
        Runtime rt = Runtime.getRuntime();
        long before = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        for (int i = 0; i < 256; i++) {
            last = new byte[1 << 20];  // 256 MB of garbage: the plain reading drops by that much until a collection
        }
        last = null;
        long wanted = before - (32L << 20);
        assertTrue(FreeHeap.bytes(wanted) >= wanted, "the garbage was counted as used");
    }

    @Test
    void collectsOnlyWhenTheFirstReadingFallsShort() {
        long collections = collections();
        long free = FreeHeap.bytes(1);
        assertTrue(free > 0);
        assertEquals(collections, collections(), "a request that fits triggered a collection");
        FreeHeap.bytes(Long.MAX_VALUE);
        assertTrue(collections() > collections, "a shortfall was reported without a collection");
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
