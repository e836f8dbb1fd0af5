package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;

/**
 * Replaces every match of a pattern ({@code {"String": ...}} literal or {@code {"Regex": ...}}
 * Oniguruma) by {@code content}.
 */
public record Replace(String pattern, boolean regex, String content, NormalizedString.Pattern matcher) implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        s.replace(matcher, content);
    }
}
