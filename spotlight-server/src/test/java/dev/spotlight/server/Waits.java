package dev.spotlight.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in tests on events, never on fixed sleeps, each bounded so that a broken test ends. */
public final class Waits {
    private Waits() {
    }

    /**
     * Holds the calling thread (a worker inside a job or a step observer) until the test opens
     * {@code latch}; a test that fails first lets it go after a minute. Whether the latch opened.
     */
    public static boolean hold(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether {@code condition} holds within 10 s, polled every 5 ms. */
    public static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
