package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.unicode.CharClasses;

/** Drops combining marks (Mn, Mc, Me of Unicode 9); usually follows NFD or NFKD. */
public record StripAccents() implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        s.filter(c -> !CharClasses.isCombiningMark(c));
    }
}
