package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;

/** Splits on one delimiter char, dropping it. */
public record CharDelimiterSplit(int delimiter) implements PreTokenizer {
    @Override
    public void preTokenize(PreTokenizedString s) {
        NormalizedString.Pattern p = NormalizedString.charPattern(c -> c == delimiter);
        s.splitEach(n -> n.split(p, SplitDelimiterBehavior.Removed));
    }
}
