package dev.spotlight.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.models.Token;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alignment rules of Hugging Face's NormalizedString, with values the Rust library produces. */
class NormalizedStringTest {

    private static List<String> texts(List<NormalizedString> pieces) {
        return pieces.stream().map(NormalizedString::normalized).toList();
    }

    @Test
    void splitBehaviorsCutAroundDelimitersLikeHuggingFace() {
        NormalizedString s = new NormalizedString("The-final--countdown");
        NormalizedString.Pattern dash = NormalizedString.charPattern(c -> c == '-');
        assertEquals(List.of("The", "final", "countdown"), texts(s.split(dash, SplitDelimiterBehavior.Removed)));
        assertEquals(List.of("The", "-", "final", "-", "-", "countdown"), texts(s.split(dash, SplitDelimiterBehavior.Isolated)));
        assertEquals(List.of("The-", "final-", "-", "countdown"), texts(s.split(dash, SplitDelimiterBehavior.MergedWithPrevious)));
        assertEquals(List.of("The", "-final", "-", "-countdown"), texts(s.split(dash, SplitDelimiterBehavior.MergedWithNext)));
        assertEquals(List.of("The", "-", "final", "--", "countdown"), texts(s.split(dash, SplitDelimiterBehavior.Contiguous)));
    }

    @Test
    void slicesKeepTheirPlaceInTheWholeInput() {
        NormalizedString s = new NormalizedString("Hello friend");
        NormalizedString friend = s.slice(6, 12);
        assertEquals("friend", friend.normalized());
        assertArrayEquals(new int[] {6, 12}, friend.originalOffsets());
        assertArrayEquals(new int[] {8, 10}, friend.originalRange(2, 4));
    }

    @Test
    void emptyRangesComeBackShiftedAndReversedOnesAsNull() {
        NormalizedString friend = new NormalizedString("Hello friend").slice(6, 12);
        assertArrayEquals(new int[] {9, 9}, friend.originalRange(3, 3));
        assertNull(friend.originalRange(4, 2));
        assertNull(friend.originalRange(0, 7));
    }

    @Test
    void sliceInsideASurrogatePairIsRefused() {
        assertNull(new NormalizedString("a😀b").slice(0, 2));
    }

    @Test
    void lowercaseIsPerCharWithoutFinalSigmaAndExpandsDottedCapitalI() {
        NormalizedString s = new NormalizedString("ΣΑΣ İ");
        s.lowercase();
        assertEquals("σασ i\u0307", s.normalized());
        // both chars of i̇ point at İ
        assertArrayEquals(new int[] {4, 5}, s.originalRange(4, 5));
        assertArrayEquals(new int[] {4, 5}, s.originalRange(5, 6));
    }

    @Test
    void nfdMarksAlignWithTheCharTheyCameFrom() {
        NormalizedString s = new NormalizedString("élégant");
        s.nfd();
        assertEquals("e\u0301le\u0301gant", s.normalized());
        assertArrayEquals(new int[] {0, 1}, s.originalRange(1, 2));
        assertArrayEquals(new int[] {2, 3}, s.originalRange(3, 5));
    }

    @Test
    void nfcComposedCharKeepsTheBaseCharsAlignmentOnly() {
        // Hugging Face charges the absorbed mark as "removed" after the base char (node tokenizers: [[0,1],[2,3]])
        NormalizedString s = new NormalizedString("e\u0301x");
        s.nfc();
        assertEquals("éx", s.normalized());
        assertArrayEquals(new int[] {0, 1}, s.originalRange(0, 1));
        assertArrayEquals(new int[] {2, 3}, s.originalRange(1, 2));
    }

    @Test
    void stripRemovesWhitespaceAndKeepsOffsets() {
        NormalizedString s = new NormalizedString("  hi \u00A0");
        s.strip();
        assertEquals("hi", s.normalized());
        assertArrayEquals(new int[] {2, 4}, s.originalRange(0, 2));
    }

    @Test
    void prependedCharsAlignWithTheFirstChar() {
        NormalizedString s = new NormalizedString("ab");
        s.prepend("▁");
        assertEquals("▁ab", s.normalized());
        assertArrayEquals(new int[] {0, 1}, s.originalRange(0, 1));
        assertArrayEquals(new int[] {0, 1}, s.originalRange(1, 2));
    }

    @Test
    void replacementsAlignWithTheLastReplacedChar() {
        NormalizedString s = new NormalizedString("a  b");
        s.replace(dev.spotlight.tokenizers.regex.Regexes.literal("  "), "_");
        assertEquals("a_b", s.normalized());
        assertArrayEquals(new int[] {2, 3}, s.originalRange(1, 2));
    }

    @Test
    void filterAndClearTrackRemovedChars() {
        NormalizedString s = new NormalizedString("a\u0000b");
        s.filter(c -> c != 0);
        assertEquals("ab", s.normalized());
        assertArrayEquals(new int[] {2, 3}, s.originalRange(1, 2));
        s.clear();
        assertEquals("", s.normalized());
    }

    @Test
    void originalRangesMapBackToNormalizedOnes() {
        // Hugging Face's own original_range test: "Hello_______ World!" without '_' and lowercased
        NormalizedString s = new NormalizedString("Hello_______ World!");
        s.filter(c -> c != '_');
        s.lowercase();
        assertEquals("hello world!", s.normalized());
        assertArrayEquals(new int[] {13, 18}, s.originalRange(6, 11));
        assertArrayEquals(new int[] {6, 11}, s.normalizedRange(13, 18));
        // only removed chars: an empty range where they were
        assertArrayEquals(new int[] {5, 5}, s.normalizedRange(5, 12));
        assertNull(s.normalizedRange(3, 2));
    }

    @Test
    void appendedCharsAlignWithTheLastChar() {
        NormalizedString s = new NormalizedString("ab");
        s.append("!?");
        assertEquals("ab!?", s.normalized());
        assertArrayEquals(new int[] {1, 2}, s.originalRange(2, 4));
    }

    @Test
    void splitsWithTokensAreLeftAloneByLaterSplits() {
        PreTokenizedString p = new PreTokenizedString("a b");
        p.tokenize(text -> List.of(new Token(7, text, 0, text.length())));
        p.splitEach(n -> n.split(NormalizedString.charPattern(c -> c == ' '), SplitDelimiterBehavior.Removed));
        assertEquals(1, p.splits().size());
        assertEquals(7, p.splits().getFirst().tokens().getFirst().id());
    }

    @Test
    void emptyPiecesAreDropped() {
        PreTokenizedString p = new PreTokenizedString("  a  ");
        p.split((i, n) -> n.split(NormalizedString.charPattern(c -> c == ' '), SplitDelimiterBehavior.Isolated)
                .stream().map(PreTokenizedString.Split::of).toList());
        assertEquals(List.of(new PreTokenizedString.Piece(" ", 0, 1), new PreTokenizedString.Piece(" ", 1, 2),
                new PreTokenizedString.Piece("a", 2, 3), new PreTokenizedString.Piece(" ", 3, 4), new PreTokenizedString.Piece(" ", 4, 5)),
                p.pieces());
    }
}
