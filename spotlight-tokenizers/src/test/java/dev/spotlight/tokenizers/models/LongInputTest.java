package dev.spotlight.tokenizers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inputs that made a model quadratic (found by fuzzing): long runs of characters no vocabulary
 * piece covers, and long words under a large {@code max_input_chars_per_word}. They now take time
 * linear in their length, with the same tokens as before.
 */
class LongInputTest {
    private static final String UNIGRAM = "{\"type\":\"Unigram\",\"unk_id\":0,\"vocab\":[[\"<unk>\",0],[\"a\",-1],[\"中\",-2],[\"中文\",-3]]}";

    /** Milliseconds for {@code run}, the best of five tries (a loaded machine slows one now and then). */
    private static long millis(Runnable run) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            run.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
        }
        return best;
    }

    @Test
    void unigramFusesAMillionUnknownCharactersInLinearTime() {
        Model m = Models.fromJson(ModelsTest.view(UNIGRAM));
        String emoji = "😀".repeat(500_000);   // 1M chars, no piece covers them
        List<Token> tokens = m.tokenize(emoji);
        assertEquals(List.of(new Token(0, emoji, 0, emoji.length())), tokens, "one fused unknown token spanning the run");
        long big = millis(() -> m.tokenize(emoji));
        long quarter = millis(() -> m.tokenize("😀".repeat(125_000)));
        // quadratic (before the fix: 7-13 s) would make the full run 16x the quarter; linear makes it 4x
        // and the 100 ms floor keeps a pause of the machine from reading as growth
        assertTrue(big < 3_000 && big < 10 * Math.max(quarter, 100), "1M chars: " + big + " ms, 250k chars: " + quarter + " ms");
    }

    @Test
    void unigramKeepsKnownPiecesAroundUnknownRuns() {
        Model m = Models.fromJson(ModelsTest.view(UNIGRAM));
        assertEquals(List.of(new Token(1, "a", 0, 1), new Token(0, "xyz", 1, 4), new Token(3, "中文", 4, 6), new Token(0, "q", 6, 7)),
                m.tokenize("axyz中文q"));
    }

    @Test
    void wordPieceWithAHugeWordLimitSkipsCandidatesLongerThanAnyToken() {
        Model m = Models.fromJson(ModelsTest.view("{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"max_input_chars_per_word\":"
                + "2000000000,\"vocab\":{\"[UNK]\":0,\"ab\":1,\"##ab\":2,\"##a\":3,\"##😀\":4}}"));
        String word = "ab".repeat(100_000);   // quadratic candidates (10^10 chars hashed) before
        long ms = millis(() -> assertEquals(100_000, m.tokenize(word).size()));
        assertTrue(ms < 3_000, "a 200k-char word took " + ms + " ms");
        assertEquals(List.of(new Token(1, "ab", 0, 2), new Token(4, "##😀", 2, 4), new Token(3, "##a", 4, 5)), m.tokenize("ab😀a"));
        assertEquals(List.of(new Token(0, "[UNK]", 0, 5)), m.tokenize("ab😀b"));
    }
}
