package dev.spotlight.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sizes from tokenizer.json or an option that would allocate without bound (found by fuzzing) are
 * refused before anything is allocated, with the file, the field and the size it would reach;
 * Hugging Face's results are kept wherever they fit.
 */
class ResourceBoundsTest {

    /** A character-level BPE without pre-tokenizer: one split, one token per character. */
    private static Tokenizer characters(String blocks) {
        return Tokenizer.fromJson("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"[PAD]\": 2}, \"merges\": []}"
                + blocks + "}", "t.json");
    }

    @Test
    void fixedPaddingBeyondTheHeapIsRefusedNamingFileFieldAndSize() {
        Tokenizer t = characters(", \"padding\": {\"strategy\": {\"Fixed\": 2000000000}}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.encode("ab"));
        assertTrue(e.getMessage().startsWith("t.json: $.padding: strategy {\"Fixed\": 2000000000}, pad_to_multiple_of 0 on 1 encoding(s)"
                + " of up to 2000000000 tokens would reach 2,000,000,000 tokens (about 163.9 GB), more than half of"), e.getMessage());
        assertThrows(TokenizerException.class, () -> t.encodeBatch(List.of("a", "b")));
    }

    @Test
    void padToMultipleOfPastTheLargestArrayIsRefused() {
        Tokenizer t = characters(", \"padding\": {\"strategy\": {\"Fixed\": 2000000000}, \"pad_to_multiple_of\": 1500000000}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.encode("ab"));
        assertEquals("t.json: $.padding: strategy {\"Fixed\": 2000000000}, pad_to_multiple_of 1500000000 pads to 3000000000 tokens,"
                + " more than the 2147483639 a Java array holds", e.getMessage());
    }

    @Test
    void paddingGivenAsAnOptionIsNamedAsOne() {
        Tokenizer t = characters("");
        Padding huge = Padding.batchLongest().withFixed(1 << 30);
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.encode("ab", null, t.defaults().withPadding(huge)));
        assertTrue(e.getMessage().startsWith("padding option: strategy {\"Fixed\": 1073741824}"), e.getMessage());
    }

    @Test
    void paddingThatFitsIsUnchanged() {
        Tokenizer t = characters(", \"padding\": {\"strategy\": {\"Fixed\": 5}, \"pad_to_multiple_of\": 4, \"pad_id\": 2}");
        Encoding e = t.encode("ab");
        assertEquals(List.of("a", "b", "[PAD]", "[PAD]", "[PAD]", "[PAD]", "[PAD]", "[PAD]"), e.tokens());
    }

    @Test
    void strideWindowsOnALongTextAreRefusedBeforeTheyAreCut() {
        Tokenizer t = characters(", \"truncation\": {\"max_length\": 100000, \"stride\": 99999}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.encode("a".repeat(300_000)));
        assertTrue(e.getMessage().startsWith("t.json: $.truncation: max_length 100000 with stride 99999 cuts a sequence of 300000 tokens"
                + " into 200001 overflowing windows of 100000 tokens, which would reach 20,000,100,000 tokens"), e.getMessage());
        assertTrue(e.getMessage().endsWith("use a larger max_length or a smaller stride, or split the text"), e.getMessage());
    }

    @Test
    void stridedPairWhoseWindowsCombineBeyondTheHeapIsRefused() {
        Tokenizer t = characters("");
        Truncation small = new Truncation(12, Truncation.Strategy.LongestFirst, Direction.Right, 4);
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> t.encode("a".repeat(30_000), "b".repeat(30_000), t.defaults().withTruncation(small)));
        assertTrue(e.getMessage().startsWith("truncation option: max_length 12 with stride 4 gives a pair of 14998 and 14998 windows;"
                + " Hugging Face combines every window of one with every window of the other, 674760022 encodings, which would reach"), e.getMessage());
    }

    @Test
    void aLongTextCutBesideALongQuestionIsRefusedForTheQuestionsCopies() {
        // 100,000 windows of 2 context tokens are small, but each repeats the 20,000 question tokens
        Tokenizer t = characters("");
        Truncation onlySecond = new Truncation(20_002, Truncation.Strategy.OnlySecond, Direction.Right, 0);
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> t.encodeWholeText("a".repeat(20_000), "b".repeat(200_000), t.defaults().withTruncation(onlySecond)));
        assertTrue(e.getMessage().startsWith("truncation option: max_length 20002 with stride 0 cuts a pair into 100000 windows,"
                + " each with the other sequence's 20000 tokens, which would reach 2,000,200,000 tokens"), e.getMessage());
        assertTrue(e.getMessage().endsWith("use a larger max_length, a smaller stride or a shorter pair"), e.getMessage());
    }

    @Test
    void stridedWindowsThatFitKeepHuggingFaceResults() {
        Tokenizer t = characters("");
        Truncation small = new Truncation(4, Truncation.Strategy.LongestFirst, Direction.Right, 1);
        Encoding e = t.encode("aaaaaaa", "bbbbb", t.defaults().withTruncation(small));
        assertEquals(List.of("a", "a", "b", "b"), e.tokens());
        assertEquals(Truncation.pairWindowTokens(
                        t.encode("aaaaaaa", null, t.defaults().withAddSpecialTokens(false)).truncate(2, 1, Direction.Right),
                        t.encode("bbbbb", null, t.defaults().withAddSpecialTokens(false)).truncate(2, 1, Direction.Right), 0),
                treeTokens(e));
    }

    @Test
    void pairWindowTokensCountEveryCombinationMergeBuilds() {
        Tokenizer t = characters("");
        for (int n1 : new int[] {1, 3, 7, 12}) {
            for (int n2 : new int[] {2, 5, 9}) {
                for (int keep = 2; keep <= 4; keep++) {
                    Encoding first = t.encode("a".repeat(n1)).truncate(keep, 1, Direction.Right);
                    Encoding second = t.encode("b".repeat(n2)).truncate(keep, 1, Direction.Left);
                    assertEquals(treeTokens(first.merge(second)), Truncation.pairWindowTokens(first, second, 0),
                            n1 + " and " + n2 + " tokens, windows of " + keep);
                }
            }
        }
    }

    private static long treeTokens(Encoding e) {
        long n = e.length();
        for (Encoding o : e.overflowing()) {
            n += treeTokens(o);
        }
        return n;
    }

    @Test
    void aHugeContinuingSubwordPrefixIsRefusedAtLoad() {
        String prefix = "#".repeat(100_000);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.fromJson("{\"model\": {\"type\": \"BPE\","
                + " \"vocab\": {\"a\": 0}, \"merges\": [], \"continuing_subword_prefix\": \"" + prefix + "\"}}", "t.json"));
        assertEquals("t.json: $.model.continuing_subword_prefix: a continuing_subword_prefix of 100000 characters, expected at most 64",
                e.getMessage());
    }
}
