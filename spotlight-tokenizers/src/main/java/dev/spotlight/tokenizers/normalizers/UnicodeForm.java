package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.unicode.UnicodeNormalization;

/** The {@code NFC}, {@code NFD}, {@code NFKC} and {@code NFKD} normalizers. */
public record UnicodeForm(UnicodeNormalization.Form form) implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        UnicodeNormalization.apply(s, form);
    }
}
