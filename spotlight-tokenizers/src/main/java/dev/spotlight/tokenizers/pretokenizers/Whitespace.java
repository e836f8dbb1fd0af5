package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.unicode.CharClasses;

/**
 * Keeps the matches of {@code \w+|[^\w\s]+} (Rust regex classes: \w is Alphabetic, marks,
 * decimal digits, connector punctuation and joiners) and drops the rest; scanned in one pass.
 */
public record Whitespace() implements PreTokenizer {
    static final NormalizedString.Pattern WORDS = (text, out) -> {
        int len = text.length();
        int i = 0;
        while (i < len) {
            int cp = text.codePointAt(i);
            int kind = kind(cp);
            if (kind == 2) {
                i += Character.charCount(cp);
                continue;
            }
            int j = i + Character.charCount(cp);
            while (j < len) {
                int c = text.codePointAt(j);
                if (kind(c) != kind) {
                    break;
                }
                j += Character.charCount(c);
            }
            out.add(i, j);
            i = j;
        }
    };

    /** 0: word char, 1: other, 2: whitespace. */
    private static int kind(int cp) {
        if (cp < 0x80) {
            if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z' || cp >= '0' && cp <= '9' || cp == '_') {
                return 0;
            }
            return CharClasses.isWhitespace(cp) ? 2 : 1;
        }
        if (isWord(cp)) {
            return 0;
        }
        return CharClasses.isWhitespace(cp) ? 2 : 1;
    }

    static boolean isWord(int cp) {
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK
                || t == Character.DECIMAL_DIGIT_NUMBER || t == Character.CONNECTOR_PUNCTUATION;
    }

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(n -> n.split(WORDS, SplitDelimiterBehavior.Removed, true));
    }
}
