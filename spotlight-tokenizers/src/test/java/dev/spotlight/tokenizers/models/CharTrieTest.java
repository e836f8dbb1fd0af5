package dev.spotlight.tokenizers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CharTrieTest {

    /** The node a whole word leads to, or NONE. */
    private static int walk(CharTrie trie, String word) {
        int node = CharTrie.root();
        for (int i = 0; i < word.length() && node != CharTrie.NONE; i++) {
            node = trie.child(node, word.charAt(i));
        }
        return node;
    }

    @Test
    void findsEveryInsertedWordAndItsPrefixesAcrossManyGrowths() {
        Random random = new Random(7);
        CharTrie trie = new CharTrie();
        Map<String, Integer> words = new HashMap<>();
        // 20,000 words over a wide alphabet (surrogate halves and U+FFFF included): ~100k edges
        for (int id = 0; id < 20_000; id++) {
            StringBuilder word = new StringBuilder();
            int length = 1 + random.nextInt(8);
            for (int i = 0; i < length; i++) {
                int pick = random.nextInt(40);
                word.append(pick == 0 ? '\uFFFF' : pick == 1 ? '\uD83D' : pick == 2 ? '\uDE00' : (char) ('a' + pick % 26 + (pick > 30 ? 0x4E00 : 0)));
            }
            trie.insert(word.toString(), id);
            words.put(word.toString(), id);  // a word drawn twice keeps its last id, as the trie does
        }
        for (Map.Entry<String, Integer> e : words.entrySet()) {
            String word = e.getKey();
            int node = walk(trie, word);
            assertEquals((int) e.getValue(), trie.pieceId(node), word);
            for (int cut = 1; cut < word.length(); cut++) {
                String prefix = word.substring(0, cut);
                int expected = words.getOrDefault(prefix, CharTrie.NONE);
                assertEquals(expected, trie.pieceId(walk(trie, prefix)), prefix);
            }
        }
    }

    @Test
    void aMissingEdgeIsNone() {
        CharTrie trie = new CharTrie();
        trie.insert("ab", 0);
        assertEquals(CharTrie.NONE, walk(trie, "b"));
        assertEquals(CharTrie.NONE, walk(trie, "abc"));
        assertEquals(CharTrie.NONE, trie.pieceId(walk(trie, "a")));
        assertEquals(0, trie.pieceId(walk(trie, "ab")));
    }
}
