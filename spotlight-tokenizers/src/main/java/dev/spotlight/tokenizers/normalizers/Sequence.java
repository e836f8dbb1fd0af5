package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;
import java.util.List;

/** Runs normalizers one after the other. */
public record Sequence(List<Normalizer> normalizers) implements Normalizer {
    public Sequence {
        normalizers = List.copyOf(normalizers);
    }

    @Override
    public void normalize(NormalizedString s) {
        for (Normalizer n : normalizers) {
            n.normalize(s);
        }
    }
}
