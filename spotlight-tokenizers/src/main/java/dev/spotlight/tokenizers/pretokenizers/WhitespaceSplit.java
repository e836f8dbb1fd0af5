package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.unicode.CharClasses;

/** Splits on whitespace (Rust's {@code char::is_whitespace}), dropping it. */
public record WhitespaceSplit() implements PreTokenizer {
    private static final NormalizedString.Pattern WHITESPACE = NormalizedString.charPattern(CharClasses::isWhitespace);

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(n -> n.split(WHITESPACE, SplitDelimiterBehavior.Removed));
    }
}
