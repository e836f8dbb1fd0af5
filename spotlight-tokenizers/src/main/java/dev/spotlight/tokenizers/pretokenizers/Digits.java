package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.unicode.CharClasses;

/** Separates numeric chars (Rust's {@code char::is_numeric}) from the rest, one by one or as runs. */
public record Digits(boolean individualDigits) implements PreTokenizer {
    private static final NormalizedString.Pattern NUMERIC = NormalizedString.charPattern(CharClasses::isNumeric);

    @Override
    public void preTokenize(PreTokenizedString s) {
        SplitDelimiterBehavior b = individualDigits ? SplitDelimiterBehavior.Isolated : SplitDelimiterBehavior.Contiguous;
        s.splitEach(n -> n.split(NUMERIC, b));
    }
}
