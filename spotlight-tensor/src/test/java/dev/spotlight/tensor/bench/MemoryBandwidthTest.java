package dev.spotlight.tensor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.tensor.Parallel;
import org.junit.jupiter.api.Test;

class MemoryBandwidthTest {
    @Test
    void aPassReportsAPositiveFiniteRateOnOneAndTwoThreads() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                double rate = MemoryBandwidth.readBytesPerSecond(4 << 20, 2);
                // 4 MiB in under a second, and no faster than 10 TB/s: a pass that read nothing would show
                assertTrue(rate > 4 << 20 && rate < 1e13, threads + " threads: " + rate);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void bufferSizesOutsideOneMibToEightGibAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MemoryBandwidth(1000));
        assertEquals("bandwidth buffer of 1000 bytes, expected 1 MiB to 8 GiB", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MemoryBandwidth(9L << 30));
        e = assertThrows(IllegalArgumentException.class, () -> MemoryBandwidth.readBytesPerSecond(1 << 20, 0));
        assertEquals("repeats must be >= 1, found 0", e.getMessage());
    }
}
