package dev.spotlight.models;

/**
 * The heap a pass may still allocate, for the checks that refuse a pass before it would run out of
 * memory. {@code totalMemory − freeMemory} counts garbage not yet collected, and with G1 the young
 * generation fills to the heap's current size before a collection runs: measured at that moment, a
 * 3 GB heap holding 200 MB of live data reads as full. So a shortfall is confirmed after a
 * collection before anything is refused.
 */
public final class FreeHeap {
    private FreeHeap() {
    }

    /**
     * Bytes the heap can still give: {@code maxMemory − used}, measured again after a requested
     * garbage collection when the first reading is below {@code wanted}. The collection runs only on
     * that path, so passes that clearly fit pay nothing.
     */
    public static long bytes(long wanted) {
        return bytes(wanted, System::gc);
    }

    /** As {@link #bytes(long)}, with the collection {@code collect} (tests count the calls). */
    static long bytes(long wanted, Runnable collect) {
        long free = measure();
        if (free >= wanted) {
            return free;
        }
        collect.run();
        return measure();
    }

    /** {@code maxMemory − (totalMemory − freeMemory)}: garbage not yet collected counts as used. */
    static long measure() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }
}
