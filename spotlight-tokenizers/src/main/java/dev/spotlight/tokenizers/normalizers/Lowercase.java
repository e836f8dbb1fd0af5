package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;

/** Per-char lowercase as Rust's {@code char::to_lowercase}: {@code ΣΑΣ} becomes {@code σασ}, {@code İ} two chars. */
public record Lowercase() implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        s.lowercase();
    }
}
