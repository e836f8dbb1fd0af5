package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.PreTokenizedString;

/** The tokenizer.json {@code pre_tokenizer} block: cuts the splits of a string into smaller ones. Immutable, thread-safe. */
public interface PreTokenizer {
    void preTokenize(PreTokenizedString s);
}
