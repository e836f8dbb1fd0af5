package dev.spotlight.tokenizers.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.tokenizers.NormalizedString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written scanners must split exactly like the regex they replace (run by
 * java.util.regex with Oniguruma's iteration rules), on random and adversarial text, and stay
 * linear on 10 MB inputs where the regex engine would backtrack.
 */
class ScannersMatchRegexTest {
    private static final String[] POOLS = {
        "abcXYZ", "0123456789", " ", "   ", "\t", "\n", "\r\n", "\r", "'", "'s", "'S", "'ll", "'LL", "'re", "'Ve", "'d", "'m", "'t",
        "'\u017F", ".,!?;:-", "\"()[]", "\u00A0", "\u3000", "\u2028", "\u0085", "é", "e\u0301", "\u0301", "ΣΑΣ", "中文", "ひら",
        "١٢٣", "²½", "Ⅻ", "😀", "👨‍👩‍👧", "\u200D", "\uD835\uDC00", "\u0900\u0915", "ǅ", "ʰ", "/", "ABC", "Abc", "aBC", "ǅa", "ʰA", "Aʰ", "A\u0301", "\u0301A", "中A", "A中a", "'S", "/\r\n",
    };

    private static String randomText(Random r, int pieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            String p = POOLS[r.nextInt(POOLS.length)];
            int repeat = r.nextInt(10) == 0 ? 1 + r.nextInt(30) : 1;
            b.append(p.repeat(repeat));
        }
        return b.toString();
    }

    private static List<String> matches(NormalizedString.Pattern p, String text) {
        NormalizedString.Matches m = new NormalizedString.Matches();
        p.findMatches(text, m);
        List<String> out = new ArrayList<>(m.size());
        for (int i = 0; i < m.size(); i++) {
            out.add(m.start(i) + ".." + m.end(i));
        }
        return out;
    }

    private static void assertSameSplits(NormalizedString.Pattern scanner, String pattern) {
        OnigRegex regex = OnigRegex.compile(pattern);
        Random r = new Random(42);
        for (int i = 0; i < 3000; i++) {
            String text = randomText(r, 1 + r.nextInt(25));
            assertEquals(matches(regex, text), matches(scanner, text), () -> "on " + escape(text));
        }
    }

    @Test
    void gpt2ScannerSplitsLikeTheGpt2Regex() {
        assertSameSplits(new Gpt2Scanner(), Gpt2Scanner.PATTERN);
    }

    @Test
    void llama3ScannerSplitsLikeTheLlama3Regex() {
        assertSameSplits(new Cl100kScanner(3), Cl100kScanner.LLAMA3);
    }

    @Test
    void qwen2ScannerSplitsLikeTheQwen2Regex() {
        assertSameSplits(new Cl100kScanner(1), Cl100kScanner.QWEN2);
    }

    @Test
    void o200kScannerSplitsLikeTheO200kRegex() {
        assertSameSplits(new O200kScanner(), O200kScanner.PATTERN);
    }

    @Test
    void knownPatternsGetAScanner() {
        assertTrue(Regexes.compile(Gpt2Scanner.PATTERN) instanceof Gpt2Scanner);
        assertTrue(Regexes.compile(Cl100kScanner.LLAMA3) instanceof Cl100kScanner);
        assertTrue(Regexes.compile("\\d+") instanceof OnigRegex);
    }

    @Test
    void scannersStayLinearOnTenMegabytes() {
        String words = randomText(new Random(7), 100_000).repeat(10);
        words = words.repeat(10_000_000 / words.length() + 1);
        String spaces = " ".repeat(5_000_000) + "x" + "\n ".repeat(2_000_000) + "y" + "'".repeat(1_000_000);
        for (String text : new String[] {words, spaces}) {
            for (NormalizedString.Pattern p : new NormalizedString.Pattern[] {new Gpt2Scanner(), new Cl100kScanner(3), new O200kScanner()}) {
                long t0 = System.nanoTime();
                NormalizedString.Matches m = new NormalizedString.Matches();
                p.findMatches(text, m);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(m.size() > 0);
                assertTrue(ms < 5_000, p.getClass().getSimpleName() + " took " + ms + " ms on " + text.length() + " chars");
            }
        }
    }

    @Test
    void deepRegexRecursionBecomesATokenizerException() {
        OnigRegex nested = OnigRegex.compile("(a|b)+");
        String text = "ab".repeat(2_000_000);
        dev.spotlight.tokenizers.TokenizerException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.spotlight.tokenizers.TokenizerException.class, () -> nested.findMatches(text, new NormalizedString.Matches()));
        assertTrue(e.getMessage().contains("(a|b)+"), e.getMessage());
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> b.append(cp < 0x20 || cp > 0x7E ? String.format("\\u{%X}", cp) : Character.toString(cp)));
        return b.toString();
    }
}
