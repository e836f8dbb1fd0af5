package dev.spotlight.tokenizers.regex;

/**
 * The cl100k / llama3 split pattern and Qwen2's variant (one digit per number instead of up to
 * three) as one left-to-right pass:
 * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}.
 * Linear time; matches tile the text.
 */
public final class Cl100kScanner extends TilingScanner {
    public static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    public static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private final int maxDigits;

    public Cl100kScanner(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    @Override
    int next(String s, int i, int len) {
        char c = s.charAt(i);
        if (c == '\'' && i + 1 < len) {
            int n = contraction(s, i + 1, len, true);
            if (n > 0) {
                return i + 1 + n;
            }
        }
        int cp = s.codePointAt(i);
        int w = Character.charCount(cp);
        int kind = CharKind.of(cp);
        if (kind == CharKind.LETTER) {
            return runOf(s, i, len, CharKind.LETTER);
        }
        if (kind != CharKind.NUMBER && c != '\r' && c != '\n' && i + w < len
                && CharKind.of(s.codePointAt(i + w)) == CharKind.LETTER) {
            return runOf(s, i + w, len, CharKind.LETTER);
        }
        if (kind == CharKind.NUMBER) {
            return numbers(s, i, len, maxDigits);
        }
        int j = symbols(s, i, len, kind, "\r\n");
        return j >= 0 ? j : whitespace(s, i, len, true);
    }
}
