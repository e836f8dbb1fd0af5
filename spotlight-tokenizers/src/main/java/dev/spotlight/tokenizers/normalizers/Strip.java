package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;

/** Removes leading and/or trailing whitespace (Rust's {@code char::is_whitespace}). */
public record Strip(boolean stripLeft, boolean stripRight) implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        if (stripLeft && stripRight) {
            s.strip();
        } else if (stripLeft) {
            s.lstrip();
        } else if (stripRight) {
            s.rstrip();
        }
    }
}
