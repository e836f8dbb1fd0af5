package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.unicode.CharClasses;

/** BERT's pre-tokenizer: split on whitespace (dropped), then isolate every punctuation char. */
public record BertPreTokenizer() implements PreTokenizer {
    private static final NormalizedString.Pattern WHITESPACE = NormalizedString.charPattern(CharClasses::isWhitespace);
    private static final NormalizedString.Pattern PUNCTUATION = NormalizedString.charPattern(CharClasses::isPunctuation);

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(n -> n.split(WHITESPACE, SplitDelimiterBehavior.Removed));
        s.splitEach(n -> n.split(PUNCTUATION, SplitDelimiterBehavior.Isolated));
    }
}
