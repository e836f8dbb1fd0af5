package dev.spotlight.tokenizers.regex;

import dev.spotlight.tokenizers.NormalizedString;

/**
 * The cl100k / llama3 split pattern and Qwen2's variant (one digit per number instead of up to
 * three) as one left-to-right pass:
 * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}.
 * Linear time; matches tile the text.
 */
public final class Cl100kScanner implements NormalizedString.Pattern {
    public static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    public static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private final int maxDigits;

    public Cl100kScanner(int maxDigits) {
        this.maxDigits = maxDigits;
    }

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

    private int next(String s, int i, int len) {
        char c = s.charAt(i);
        if (c == '\'' && i + 1 < len) {
            int n = contractionIgnoreCase(s, i + 1, len);
            if (n > 0) {
                return i + 1 + n;
            }
        }
        int cp = s.codePointAt(i);
        int w = Character.charCount(cp);
        int kind = CharKind.of(cp);
        if (kind == CharKind.LETTER) {
            return Gpt2Scanner.runOf(s, i, len, CharKind.LETTER);
        }
        if (kind != CharKind.NUMBER && c != '\r' && c != '\n' && i + w < len
                && CharKind.of(s.codePointAt(i + w)) == CharKind.LETTER) {
            return Gpt2Scanner.runOf(s, i + w, len, CharKind.LETTER);
        }
        if (kind == CharKind.NUMBER) {
            int j = i + w;
            for (int k = 1; k < maxDigits && j < len; k++) {
                int d = s.codePointAt(j);
                if (CharKind.of(d) != CharKind.NUMBER) {
                    break;
                }
                j += Character.charCount(d);
            }
            return j;
        }
        int start = -1;
        if (kind == CharKind.OTHER) {
            start = i;
        } else if (c == ' ' && i + 1 < len && CharKind.of(s.codePointAt(i + 1)) == CharKind.OTHER) {
            start = i + 1;
        }
        if (start >= 0) {
            int j = Gpt2Scanner.runOf(s, start, len, CharKind.OTHER);
            while (j < len && (s.charAt(j) == '\r' || s.charAt(j) == '\n')) {
                j++;
            }
            return j;
        }
        // whitespace: \s*[\r\n]+ ends after the run's last line break, if it has one
        int j = Gpt2Scanner.runOf(s, i, len, CharKind.SPACE);
        for (int q = j - 1; q >= i; q--) {
            char ch = s.charAt(q);
            if (ch == '\r' || ch == '\n') {
                return q + 1;
            }
        }
        if (j == len || j - i == 1) {
            return j;
        }
        return j - 1;
    }

    /** Length of {@code (?i:s|t|re|ve|m|ll|d)} at {@code p}, or 0. */
    static int contractionIgnoreCase(String s, int p, int len) {
        int a = CharKind.foldContractionLetter(s.charAt(p));
        int b = p + 1 < len ? CharKind.foldContractionLetter(s.charAt(p + 1)) : -1;
        switch (a) {
            case 's', 't', 'm', 'd' -> {
                return 1;
            }
            case 'r', 'v' -> {
                return b == 'e' ? 2 : 0;
            }
            case 'l' -> {
                return b == 'l' ? 2 : 0;
            }
            default -> {
                return 0;
            }
        }
    }
}
