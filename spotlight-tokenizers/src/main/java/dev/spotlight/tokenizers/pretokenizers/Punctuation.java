package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.unicode.CharClasses;

/** Splits on each punctuation char (ASCII punctuation or a Unicode P* category) with the given behavior. */
public record Punctuation(SplitDelimiterBehavior behavior) implements PreTokenizer {
    private static final NormalizedString.Pattern PUNCTUATION = NormalizedString.charPattern(CharClasses::isPunctuation);

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(n -> n.split(PUNCTUATION, behavior));
    }
}
