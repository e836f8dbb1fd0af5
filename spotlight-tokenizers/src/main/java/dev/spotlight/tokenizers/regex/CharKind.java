package dev.spotlight.tokenizers.regex;

import dev.spotlight.tokenizers.unicode.CharClasses;

/**
 * The four kinds the tokenizer split patterns sort characters into: {@code \p{L}}, {@code \p{N}},
 * {@code \s} (White_Space), and everything else. ASCII is answered from a table. Oniguruma's
 * Unicode tables agree with the JDK's here (UnicodeSweepTest), unlike Rust's std ones.
 */
final class CharKind {
    static final int OTHER = 0;
    static final int LETTER = 1;
    static final int NUMBER = 2;
    static final int SPACE = 3;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) slow(c);
        }
    }

    private CharKind() {
    }

    static int of(int cp) {
        return cp < 128 ? ASCII[cp] : slow(cp);
    }

    private static int slow(int cp) {
        if (Character.isLetter(cp)) {
            return LETTER;
        }
        int t = Character.getType(cp);
        if (t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER) {
            return NUMBER;
        }
        return CharClasses.isWhitespace(cp) ? SPACE : OTHER;
    }

    /** The letters a contraction may use after the apostrophe, case-folded as Oniguruma's (?i) does. */
    static int foldContractionLetter(int cp) {
        if (cp < 128) {
            return cp | 0x20;
        }
        return cp == 0x17F ? 's' : cp == 0x212A ? 'k' : -1; // long s folds to s; Kelvin sign to k
    }
}
