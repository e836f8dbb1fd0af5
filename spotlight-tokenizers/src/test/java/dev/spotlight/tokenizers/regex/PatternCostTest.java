package dev.spotlight.tokenizers.regex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.TokenizerException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Patterns from a file cannot make loading or matching take unbounded time (found by fuzzing). */
class PatternCostTest {

    private static int[] matches(NormalizedString.Pattern p, String text) {
        NormalizedString.Matches out = new NormalizedString.Matches();
        p.findMatches(text, out);
        int[] ranges = new int[2 * out.size()];
        for (int i = 0; i < out.size(); i++) {
            ranges[2 * i] = out.start(i);
            ranges[2 * i + 1] = out.end(i);
        }
        return ranges;
    }

    @Test
    void literalsMatchExactlyAsTheEscapedRegexDoes() {
        Random random = new Random(5);
        String alphabet = "ab▁😀";
        for (int trial = 0; trial < 2000; trial++) {
            String literal = randomText(random, alphabet, 1 + random.nextInt(5));
            String text = randomText(random, alphabet, random.nextInt(40));
            assertArrayEquals(matches(OnigRegex.literal(literal), text), matches(Regexes.literal(literal), text),
                    "\"" + literal + "\" in \"" + text + "\"");
            assertArrayEquals(matches(OnigRegex.compile(literal), text), matches(Regexes.compile(literal), text));
        }
    }

    private static String randomText(Random random, String alphabet, int codePoints) {
        int[] cps = alphabet.codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            sb.appendCodePoint(cps[random.nextInt(cps.length)]);
        }
        return sb.toString();
    }

    @Test
    void aHundredThousandCharacterLiteralLoadsAndMatchesInLinearTime() {
        String literal = "x".repeat(100_000);
        long t0 = System.nanoTime();
        NormalizedString.Pattern p = Regexes.literal(literal);
        NormalizedString.Pattern asRegex = Regexes.compile(literal);
        int[] found = matches(p, "x".repeat(250_001));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertArrayEquals(new int[] {0, 100_000, 100_000, 200_000}, found);
        assertArrayEquals(found, matches(asRegex, "x".repeat(250_001)));
        assertTrue(ms < 2_000, "took " + ms + " ms (java.util.regex's Boyer-Moore table: 7 s)");
    }

    @Test
    void catastrophicBacktrackingIsAnErrorNotAHang() {
        // java.util.regex tries every split of the text among the eight groups: 1.6 s on 30 chars, hours on 100
        NormalizedString.Pattern p = Regexes.compile("(.*a){8}b");
        long t0 = System.nanoTime();
        TokenizerException e = assertThrows(TokenizerException.class, () -> matches(p, "a".repeat(100)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("regex \"(.*a){8}b\" backtracked more than 10000 steps per character on an input of 100 chars (a pattern that"
                + " can match the same text in exponentially many ways); simplify the pattern", e.getMessage());
        assertTrue(ms < 2_000, ms + " ms");
        assertEquals(2, matches(p, "aaaaaaaab").length, "the same pattern on a text it matches directly");
    }

    @Test
    void theLiteralPathIsTakenOnlyForPatternsWithoutMetacharacters() {
        assertTrue(Regexes.compile("abc") instanceof LiteralPattern);
        for (String regex : new String[] {"a.c", "a c", "\\d", "(a)", "a|b", "", "a#"}) {
            assertTrue(Regexes.compile(regex) instanceof OnigRegex, regex);
        }
        assertTrue(Arrays.equals(new int[0], matches(Regexes.literal("zz"), "z")));
    }
}
