package dev.spotlight.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void everyIndexRunsExactlyOnceForAnyThreadCountAndSize() {
        for (int threads : new int[] {1, 2, 3, 2, 1, 4}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001}) {
                for (int repeat = 0; repeat < 50; repeat++) {
                    AtomicIntegerArray calls = new AtomicIntegerArray(n);
                    Parallel.forRange(n, calls::incrementAndGet);
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, calls.get(i), "threads=" + threads + " n=" + n + " index " + i);
                    }
                }
            }
        }
    }

    @Test
    void runsCoverEveryIndexOnceAndNeverExceedTheirLimit() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 2, 5, 17, 100, 1001}) {
                for (int maxRun : new int[] {1, 2, 4, 64}) {
                    for (int repeat = 0; repeat < 20; repeat++) {
                        AtomicIntegerArray calls = new AtomicIntegerArray(n);
                        AtomicInteger longest = new AtomicInteger();
                        Parallel.forRanges(n, null, maxRun, (from, to) -> {
                            longest.accumulateAndGet(to - from, Math::max);
                            for (int i = from; i < to; i++) {
                                calls.incrementAndGet(i);
                            }
                        });
                        String where = "threads=" + threads + " n=" + n + " maxRun=" + maxRun;
                        for (int i = 0; i < n; i++) {
                            assertEquals(1, calls.get(i), where + " index " + i);
                        }
                        assertTrue(longest.get() <= maxRun, where + ": a run of " + longest.get());
                    }
                }
            }
        }
        assertEquals("maxRun must be >= 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> Parallel.forRanges(4, null, 0, (from, to) -> { })).getMessage());
    }

    @Test
    void costWeightedLoopsRunEveryIndexOnceAndBalanceTheCost() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 2, 5, 100}) {
                AtomicIntegerArray calls = new AtomicIntegerArray(n);
                // one index costs as much as all others together
                Parallel.forRange(n, i -> i == n - 1 ? 1000L * n : 1, calls::incrementAndGet);
                for (int i = 0; i < n; i++) {
                    assertEquals(1, calls.get(i), "threads=" + threads + " n=" + n + " index " + i);
                }
            }
        }
        // index 0 alone weighs half: it is the first thread's chunk, all others the second's
        assertArrayEquals(new int[] {0, 1, 10}, Parallel.split(10, 2, i -> i == 0 ? 9 : 1));
        assertArrayEquals(new int[] {0, 3, 6, 10}, Parallel.split(10, 3, null));
    }

    @Test
    void aThreadThatFinishesItsChunkHelpsWithTheOthers() {
        Parallel.setThreads(2);
        AtomicReferenceArray<Thread> ranOn = new AtomicReferenceArray<>(10);
        boolean[] helped = {false};
        // Index 0 is slow: it waits until one of 1–9, which share its chunk, has run on another
        // thread. Only a thread that finished its own chunk (10–19) and took part of the other's can.
        Parallel.forRange(20, i -> {
            if (i == 0) {
                helped[0] = awaitAnotherThread(ranOn);
            } else if (i < 10) {
                ranOn.set(i, Thread.currentThread());
            }
        });
        assertTrue(helped[0], "no index of the slow chunk ran on the other thread within 60 s");
    }

    private static boolean awaitAnotherThread(AtomicReferenceArray<Thread> ranOn) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (int i = 1; i < ranOn.length(); i++) {
                Thread t = ranOn.get(i);
                if (t != null && t != Thread.currentThread()) {
                    return true;
                }
            }
            sleep(1);
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void loopInsideALoopBodyRunsOnItsCaller() {
        Parallel.setThreads(2);
        AtomicIntegerArray calls = new AtomicIntegerArray(8 * 8);
        Parallel.forRange(8, i -> Parallel.forRange(8, j -> calls.incrementAndGet(i * 8 + j)));
        for (int i = 0; i < 64; i++) {
            assertEquals(1, calls.get(i));
        }
    }

    @Test
    void failureInAWorkerReachesTheCallerAndThePoolKeepsWorking() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(10, i -> {
            if (i == 9) {
                throw new IllegalStateException("index 9");
            }
        }));
        assertEquals("index 9", e.getMessage());
        AtomicIntegerArray calls = new AtomicIntegerArray(10);
        Parallel.forRange(10, calls::incrementAndGet);
        for (int i = 0; i < 10; i++) {
            assertEquals(1, calls.get(i));
        }
    }

    @Test
    void threadCountBelowOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }
}
