package dev.spotlight.tokenizers.regex;

/**
 * GPT-2's split pattern ({@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+})
 * as one left-to-right pass. Every char falls in some alternative, so matches tile the text; the
 * lookahead only decides whether a whitespace run gives its last char to the next word.
 * Linear time, where java.util.regex backtracks over whitespace runs.
 */
public final class Gpt2Scanner extends TilingScanner {
    public static final String PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    @Override
    int next(String s, int i, int len) {
        if (s.charAt(i) == '\'' && i + 1 < len) {
            int n = contraction(s, i + 1, len, false);
            if (n > 0) {
                return i + 1 + n;
            }
        }
        int kind = CharKind.of(s.codePointAt(i));
        int start = i;
        if (s.charAt(i) == ' ' && i + 1 < len) {
            int next = CharKind.of(s.codePointAt(i + 1));
            if (next != CharKind.SPACE) {
                kind = next;
                start = i + 1;
            }
        }
        return kind != CharKind.SPACE ? runOf(s, start, len, kind) : whitespace(s, i, len, false);
    }
}
