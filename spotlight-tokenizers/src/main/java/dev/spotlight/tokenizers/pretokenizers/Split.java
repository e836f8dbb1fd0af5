package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;

/** Splits on a literal or Oniguruma pattern with a delimiter behavior; {@code invert} splits on what does not match. */
public record Split(String pattern, boolean regex, SplitDelimiterBehavior behavior, boolean invert,
        NormalizedString.Pattern matcher) implements PreTokenizer {
    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(n -> n.split(matcher, behavior, invert));
    }
}
