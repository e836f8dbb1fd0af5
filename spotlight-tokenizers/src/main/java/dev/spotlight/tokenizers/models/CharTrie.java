package dev.spotlight.tokenizers.models;

import java.util.Arrays;

/**
 * A trie over UTF-16 units whose nodes are ints and whose edges live in one open-addressing hash
 * table keyed by (node, char): no object per node and no boxed chars. A 50,000-piece unigram
 * vocabulary has 221,000 edges: a map per node held them in ~22 MB, this table in ~7 MB, and
 * Unigram's encode got ~10% faster (BENCHMARKS.md, Tokenizers).
 */
final class CharTrie {
    static final int NONE = -1;
    private static final long FREE = -1L;
    private static final int ROOT = 0;

    private long[] keys = new long[64];
    private int[] targets = new int[64];
    private int edges;
    private int[] pieceIds = {NONE};  // per node: the piece that ends there, or NONE
    private int nodes = 1;

    CharTrie() {
        Arrays.fill(keys, FREE);
    }

    static int root() {
        return ROOT;
    }

    /** Marks {@code word} as piece {@code id}; a word inserted twice keeps the last id. */
    void insert(String word, int id) {
        int node = ROOT;
        for (int i = 0; i < word.length(); i++) {
            int next = child(node, word.charAt(i));
            node = next != NONE ? next : addChild(node, word.charAt(i));
        }
        pieceIds[node] = id;
    }

    /** The node reached from {@code node} by {@code c}, or {@link #NONE}. */
    int child(int node, char c) {
        long key = key(node, c);
        int mask = keys.length - 1;
        for (int slot = slot(key, mask); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) {
                return targets[slot];
            }
            if (k == FREE) {
                return NONE;
            }
        }
    }

    /** The piece that ends at {@code node}, or {@link #NONE}. */
    int pieceId(int node) {
        return pieceIds[node];
    }

    private int addChild(int node, char c) {
        if (2 * (edges + 1) > keys.length) {
            grow();
        }
        int child = nodes++;
        if (child == pieceIds.length) {
            pieceIds = Arrays.copyOf(pieceIds, 2 * child);
            Arrays.fill(pieceIds, child, pieceIds.length, NONE);
        }
        put(key(node, c), child);
        edges++;
        return child;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldTargets = targets;
        keys = new long[2 * oldKeys.length];
        targets = new int[2 * oldKeys.length];
        Arrays.fill(keys, FREE);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != FREE) {
                put(oldKeys[i], oldTargets[i]);
            }
        }
    }

    private void put(long key, int target) {
        int mask = keys.length - 1;
        int slot = slot(key, mask);
        while (keys[slot] != FREE) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        targets[slot] = target;
    }

    private static long key(int node, char c) {
        return ((long) node << 16) | c;
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 33) & mask;
    }
}
