package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;

/** Puts {@code prepend} before any non-empty text; the new chars align with the first char. */
public record Prepend(String prepend) implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        if (!s.isEmpty()) {
            s.prepend(prepend);
        }
    }
}
