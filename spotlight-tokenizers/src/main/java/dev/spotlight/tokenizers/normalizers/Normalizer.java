package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;

/** The tokenizer.json {@code normalizer} block: rewrites text in place, keeping alignments. Immutable, thread-safe. */
public interface Normalizer {
    void normalize(NormalizedString s);
}
