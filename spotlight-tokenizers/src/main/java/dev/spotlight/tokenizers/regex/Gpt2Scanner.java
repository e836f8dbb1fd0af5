package dev.spotlight.tokenizers.regex;

import dev.spotlight.tokenizers.NormalizedString;

/**
 * GPT-2's split pattern ({@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+})
 * as one left-to-right pass. Every char falls in some alternative, so matches tile the text; the
 * lookahead only decides whether a whitespace run gives its last char to the next word.
 * Linear time, where java.util.regex backtracks over whitespace runs.
 */
public final class Gpt2Scanner implements NormalizedString.Pattern {
    public static final String PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    @Override
    public void findMatches(String s, NormalizedString.Matches out) {
        int len = s.length();
        int i = 0;
        while (i < len) {
            int end = next(s, i, len);
            out.add(i, end);
            i = end;
        }
    }

    private static int next(String s, int i, int len) {
        char c = s.charAt(i);
        if (c == '\'' && i + 1 < len) {
            int n = contraction(s, i + 1, len);
            if (n > 0) {
                return i + 1 + n;
            }
        }
        int cp = s.codePointAt(i);
        int kind = CharKind.of(cp);
        int start = i;
        if (c == ' ' && i + 1 < len) {
            int nk = CharKind.of(s.codePointAt(i + 1));
            if (nk != CharKind.SPACE) {
                kind = nk;
                start = i + 1;
            }
        }
        if (kind != CharKind.SPACE) {
            return runOf(s, start, len, kind);
        }
        int j = runOf(s, i, len, CharKind.SPACE);
        if (j == len || j - i == 1) {
            return j;
        }
        return j - 1; // \s+(?!\S): leave the last space for the word that follows
    }

    /** Length of {@code s|t|re|ve|m|ll|d} at {@code p} (case-sensitive, as GPT-2 has no (?i)), or 0. */
    static int contraction(String s, int p, int len) {
        char a = s.charAt(p);
        switch (a) {
            case 's', 't', 'm', 'd' -> {
                return 1;
            }
            case 'r', 'v' -> {
                return p + 1 < len && s.charAt(p + 1) == 'e' ? 2 : 0;
            }
            case 'l' -> {
                return p + 1 < len && s.charAt(p + 1) == 'l' ? 2 : 0;
            }
            default -> {
                return 0;
            }
        }
    }

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
}
