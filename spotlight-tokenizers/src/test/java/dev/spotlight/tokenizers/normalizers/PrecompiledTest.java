package dev.spotlight.tokenizers.normalizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spotlight.tokenizers.NormalizedString;
import org.junit.jupiter.api.Test;

/** The double-array lookup on hand-made charsmaps; the real nmt_nfkc one is covered by the goldens. */
class PrecompiledTest {

    /** A charsmap whose trie has no entries: the root unit only, then an empty string pool. */
    private static byte[] emptyTrie() {
        return new byte[] {4, 0, 0, 0, 0, 0, 0, 0};
    }

    @Test
    void charsmapWithoutEntriesLeavesTextAlone() {
        NormalizedString s = new NormalizedString("ﬁ Ä\r\n👍🏽");
        new Precompiled(emptyTrie()).normalize(s);
        assertEquals("ﬁ Ä\r\n👍🏽", s.normalized());
    }

    @Test
    void lookupsThatLeaveTheTrieFindNothingInsteadOfFailing() {
        byte[] map = emptyTrie();
        map[4] = (byte) 0xFF; // root offset far outside the one-unit array
        map[5] = (byte) 0xFF;
        NormalizedString s = new NormalizedString("abc é");
        new Precompiled(map).normalize(s);
        assertEquals("abc é", s.normalized());
    }
}
