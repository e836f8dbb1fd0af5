package dev.spotlight.tokenizers.regex;

import dev.spotlight.tokenizers.NormalizedString;

/**
 * A non-empty literal string found by Knuth-Morris-Pratt: leftmost, non-overlapping matches, the
 * same as Oniguruma running the escaped literal, in time linear in the text and the literal.
 * java.util.regex compiles a literal with a Boyer-Moore table whose construction is quadratic in its
 * length: a 100,000-character {@code {"String": ...}} pattern took 7 s to load (found by fuzzing).
 */
final class LiteralPattern implements NormalizedString.Pattern {
    private final String literal;
    private final int[] failure;   // [length]: length of the longest proper border of literal[0..i]

    LiteralPattern(String literal) {
        if (literal.isEmpty()) {
            throw new IllegalArgumentException("an empty literal matches everywhere: use the regex path");
        }
        this.literal = literal;
        this.failure = new int[literal.length()];
        for (int i = 1, k = 0; i < literal.length(); i++) {
            while (k > 0 && literal.charAt(i) != literal.charAt(k)) {
                k = failure[k - 1];
            }
            if (literal.charAt(i) == literal.charAt(k)) {
                k++;
            }
            failure[i] = k;
        }
    }

    /** Whether {@code pattern} (Oniguruma syntax) is a literal: no character with a meaning of its own. */
    static boolean isLiteral(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if ("\\^$.|?*+()[]{}#".indexOf(pattern.charAt(i)) >= 0 || Character.isWhitespace(pattern.charAt(i))) {
                return false;
            }
        }
        return !pattern.isEmpty();
    }

    @Override
    public void findMatches(String inside, NormalizedString.Matches out) {
        int m = literal.length();
        for (int i = 0, k = 0; i < inside.length(); i++) {
            while (k > 0 && inside.charAt(i) != literal.charAt(k)) {
                k = failure[k - 1];
            }
            if (inside.charAt(i) == literal.charAt(k)) {
                k++;
            }
            if (k == m) {
                out.add(i - m + 1, i + 1);
                k = 0;   // non-overlapping: the next match starts after this one
            }
        }
    }
}
