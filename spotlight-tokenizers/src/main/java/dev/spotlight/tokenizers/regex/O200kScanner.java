package dev.spotlight.tokenizers.regex;

/**
 * The o200k (GPT-4o) split pattern as one left-to-right pass. Its word alternatives are
 * {@code P?U*W+C?} and {@code P?U+W*C?} with U = [Lu Lt Lm Lo M], W = [Ll Lm Lo M], P an optional
 * non-letter prefix and C an English contraction; the regex engine's backtracking over the shared
 * classes Lm, Lo and M is resolved here directly: U* gives back chars until a W char can start W+.
 */
public final class O200kScanner extends TilingScanner {
    public static final String PATTERN = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final int U = 1;
    private static final int W = 2;

    /** Bit set of U and W for a code point. */
    private static int classes(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.TITLECASE_LETTER -> U;
            case Character.LOWERCASE_LETTER -> W;
            case Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.ENCLOSING_MARK -> U | W;
            default -> 0;
        };
    }

    @Override
    int next(String s, int i, int len) {
        int cp = s.codePointAt(i);
        int w = Character.charCount(cp);
        int kind = CharKind.of(cp);
        boolean prefix = cp != '\r' && cp != '\n' && kind != CharKind.LETTER && kind != CharKind.NUMBER && i + w < len;
        int e;
        if (prefix && (e = upperThenLower(s, i + w, len)) >= 0) {
            return e;
        }
        if ((e = upperThenLower(s, i, len)) >= 0) {
            return e;
        }
        if (prefix && (e = upperRun(s, i + w, len)) >= 0) {
            return e;
        }
        if ((e = upperRun(s, i, len)) >= 0) {
            return e;
        }
        if (kind == CharKind.NUMBER) {
            return numbers(s, i, len, 3);
        }
        int j = symbols(s, i, len, kind, "\r\n/");
        return j >= 0 ? j : whitespace(s, i, len, true);
    }

    /** End of {@code U*W+C?} at {@code p}, or -1. */
    private static int upperThenLower(String s, int p, int len) {
        int q = p;
        int lastW = -1; // end of the last char in the U run that is also W
        while (q < len) {
            int cp = s.codePointAt(q);
            int c = classes(cp);
            if ((c & U) == 0) {
                break;
            }
            q += Character.charCount(cp);
            if ((c & W) != 0) {
                lastW = q;
            }
        }
        int r;
        if (q < len && (classes(s.codePointAt(q)) & W) != 0) {
            r = lowerRun(s, q, len);
        } else if (lastW >= 0) {
            r = lastW;
        } else {
            return -1;
        }
        return r + contraction(s, r, len);
    }

    /** End of {@code U+W*C?} at {@code p}, or -1. */
    private static int upperRun(String s, int p, int len) {
        int q = p;
        while (q < len) {
            int cp = s.codePointAt(q);
            if ((classes(cp) & U) == 0) {
                break;
            }
            q += Character.charCount(cp);
        }
        if (q == p) {
            return -1;
        }
        int r = lowerRun(s, q, len);
        return r + contraction(s, r, len);
    }

    private static int lowerRun(String s, int q, int len) {
        while (q < len) {
            int cp = s.codePointAt(q);
            if ((classes(cp) & W) == 0) {
                break;
            }
            q += Character.charCount(cp);
        }
        return q;
    }

    private static int contraction(String s, int r, int len) {
        if (r + 1 < len && s.charAt(r) == '\'') {
            int n = contraction(s, r + 1, len, true);
            return n > 0 ? 1 + n : 0;
        }
        return 0;
    }
}
