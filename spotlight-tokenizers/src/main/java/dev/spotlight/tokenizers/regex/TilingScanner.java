package dev.spotlight.tokenizers.regex;

import dev.spotlight.tokenizers.NormalizedString;

/**
 * A split pattern whose alternatives together match every char, so its matches tile the text:
 * each match starts where the previous one ended and only its end has to be found. The pieces
 * the GPT-2 family of patterns share live here.
 */
abstract class TilingScanner implements NormalizedString.Pattern {

    @Override
    public final void findMatches(String s, NormalizedString.Matches out) {
        int len = s.length();
        int i = 0;
        while (i < len) {
            int end = next(s, i, len);
            out.add(i, end);
            i = end;
        }
    }

    /** End of the match that starts at {@code i}. */
    abstract int next(String s, int i, int len);

    /** End of the run of chars of {@code kind} starting at {@code from}. */
    static int runOf(String s, int from, int len, int kind) {
        int j = from;
        while (j < len) {
            char ch = s.charAt(j);
            if (ch < 128) {
                if (CharKind.of(ch) != kind) {
                    break;
                }
                j++;
            } else {
                int cp = s.codePointAt(j);
                if (CharKind.of(cp) != kind) {
                    break;
                }
                j += Character.charCount(cp);
            }
        }
        return j;
    }

    /** End of at most {@code max} numbers from {@code i} ({@code \p{N}{1,max}}); the char at {@code i} is one. */
    static int numbers(String s, int i, int len, int max) {
        int j = i + Character.charCount(s.codePointAt(i));
        for (int k = 1; k < max && j < len; k++) {
            int d = s.codePointAt(j);
            if (CharKind.of(d) != CharKind.NUMBER) {
                break;
            }
            j += Character.charCount(d);
        }
        return j;
    }

    /**
     * End of {@code ' ?[^\s\p{L}\p{N}]+[tail]*'} at {@code i}, or -1 when it does not match there;
     * {@code tail} lists the chars that may follow the run.
     */
    static int symbols(String s, int i, int len, int kind, String tail) {
        int start;
        if (kind == CharKind.OTHER) {
            start = i;
        } else if (s.charAt(i) == ' ' && i + 1 < len && CharKind.of(s.codePointAt(i + 1)) == CharKind.OTHER) {
            start = i + 1;
        } else {
            return -1;
        }
        int j = runOf(s, start, len, CharKind.OTHER);
        while (j < len && tail.indexOf(s.charAt(j)) >= 0) {
            j++;
        }
        return j;
    }

    /**
     * End of the whitespace match at {@code i}: with {@code lineBreaks}, {@code \s*[\r\n]+} first
     * (the run up to its last line break); then {@code \s+(?!\S)} (the run but its last char when
     * a word follows) and {@code \s+}.
     */
    static int whitespace(String s, int i, int len, boolean lineBreaks) {
        int j = runOf(s, i, len, CharKind.SPACE);
        if (lineBreaks) {
            for (int q = j - 1; q >= i; q--) {
                char ch = s.charAt(q);
                if (ch == '\r' || ch == '\n') {
                    return q + 1;
                }
            }
        }
        return j == len || j - i == 1 ? j : j - 1;
    }

    /** Length of {@code s|t|re|ve|m|ll|d} at {@code p}, case-sensitive or as Oniguruma's (?i) folds, or 0. */
    static int contraction(String s, int p, int len, boolean ignoreCase) {
        int a = s.charAt(p);
        int b = p + 1 < len ? s.charAt(p + 1) : -1;
        if (ignoreCase) {
            a = CharKind.foldContractionLetter(a);
            b = b < 0 ? -1 : CharKind.foldContractionLetter(b);
        }
        return switch (a) {
            case 's', 't', 'm', 'd' -> 1;
            case 'r', 'v' -> b == 'e' ? 2 : 0;
            case 'l' -> b == 'l' ? 2 : 0;
            default -> 0;
        };
    }
}
