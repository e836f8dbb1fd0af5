package dev.spotlight.tokenizers.unicode;

/** A set of code points as one bit each: a membership test is a shift and a mask, no search. */
final class CodePointSet {
    private final long[] bits = new long[(Character.MAX_CODE_POINT + 1) >>> 6];

    void addRange(int from, int to) {
        for (int cp = from; cp <= to; cp++) {
            bits[cp >>> 6] |= 1L << cp;
        }
    }

    boolean contains(int cp) {
        return cp >= 0 && cp <= Character.MAX_CODE_POINT && (bits[cp >>> 6] & (1L << cp)) != 0;
    }
}
