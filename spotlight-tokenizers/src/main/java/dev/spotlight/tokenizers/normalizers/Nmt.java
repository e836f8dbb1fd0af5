package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;

/** SentencePiece's NMT cleanup: drops most C0 controls and maps odd spaces and separators to a space. */
public record Nmt() implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        s.filter(c -> !((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || c == 0x8F || c == 0x9F));
        s.map(c -> switch (c) {
            case 0x09, 0x0A, 0x0C, 0x0D, 0x1680, 0x2028, 0x2029, 0x2581, 0xFEFF, 0xFFFD -> ' ';
            default -> c >= 0x200B && c <= 0x200F ? ' ' : c;
        });
    }
}
