package dev.spotlight.tokenizers.models;

import java.util.Arrays;

/**
 * BPE merges as an open-addressing hash map from a pair of token ids to (rank, merged id), both
 * packed into longs: no boxing, one probe sequence per lookup on the hot path.
 */
final class MergeTable {
    static final long ABSENT = -1L;
    private final long[] keys;
    private final long[] values;
    private final int mask;

    MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, ABSENT);
        mask = capacity - 1;
    }

    /** Sets a pair's merge; a pair listed twice keeps its last entry, as Rust's collect into a HashMap does. */
    void put(int left, int right, int rank, int merged) {
        long key = key(left, right);
        int slot = slot(key);
        while (keys[slot] != ABSENT && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
    }

    /** (rank << 32 | merged id), or {@link #ABSENT}. */
    long get(int left, int right) {
        long key = key(left, right);
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == ABSENT) {
                return ABSENT;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 33) & mask;
    }
}
