package dev.spotlight.tokenizers.regex;

import dev.spotlight.tokenizers.NormalizedString;

/**
 * Turns a tokenizer.json regex into a matcher: the split patterns of the common tokenizers get a
 * hand-written linear scanner that yields the same matches (tested against the regex), anything
 * else runs on java.util.regex with Oniguruma's semantics.
 */
public final class Regexes {
    private Regexes() {
    }

    /** @throws java.util.regex.PatternSyntaxException when the pattern does not compile */
    public static NormalizedString.Pattern compile(String onigPattern) {
        return switch (onigPattern) {
            case Gpt2Scanner.PATTERN -> new Gpt2Scanner();
            case Cl100kScanner.LLAMA3 -> new Cl100kScanner(3);
            case Cl100kScanner.QWEN2 -> new Cl100kScanner(1);
            case O200kScanner.PATTERN -> new O200kScanner();
            default -> LiteralPattern.isLiteral(onigPattern) ? new LiteralPattern(onigPattern) : OnigRegex.compile(onigPattern);
        };
    }

    /** A literal string, as tokenizer.json's {@code {"String": ...}} patterns are. */
    public static NormalizedString.Pattern literal(String text) {
        return text.isEmpty() ? OnigRegex.literal(text) : new LiteralPattern(text);
    }
}
