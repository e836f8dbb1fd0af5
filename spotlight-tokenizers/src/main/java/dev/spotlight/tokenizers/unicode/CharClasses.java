package dev.spotlight.tokenizers.unicode;

import java.util.HashMap;
import java.util.Map;

/**
 * The character classes Hugging Face tokenizers tests, each with the Unicode tables the Rust
 * library really uses: Rust's {@code char} methods (Unicode 17 in the published build, the JDK 25
 * has 16), the {@code unicode_categories} 0.1.1 crate (an old UnicodeData.txt), and the
 * normalization crate's combining marks (Unicode 9). The sweep over all code points in
 * UnicodeSweepTest is what keeps these honest.
 */
public final class CharClasses {
    private static final CodePointSet NONSPACING_MARK = new CodePointSet();
    private static final CodePointSet OTHER = new CodePointSet();
    private static final CodePointSet PUNCTUATION = new CodePointSet();
    private static final CodePointSet NUMERIC = new CodePointSet();
    private static final Map<Integer, int[]> LOWERCASE = new HashMap<>();
    private static final CodePointSet HAS_LOWERCASE = new CodePointSet(); // keys of LOWERCASE: most chars skip the map

    static {
        Tables.read("rust-std-unicode17.txt", row -> {
            switch (row[0]) {
                case "N" -> NUMERIC.addRange(Tables.hex(row[1]), Tables.hex(row[2]));
                case "A" -> { } // Alphabetic: kept in the table for completeness, no Hugging Face component asks
                case "L" -> {
                    int[] lower = new int[row.length - 2];
                    for (int i = 0; i < lower.length; i++) {
                        lower[i] = Tables.hex(row[i + 2]);
                    }
                    LOWERCASE.put(Tables.hex(row[1]), lower);
                    HAS_LOWERCASE.addRange(Tables.hex(row[1]), Tables.hex(row[1]));
                }
                default -> throw new IllegalStateException("unknown row " + row[0] + " in rust-std-unicode17.txt");
            }
        });
        Tables.read("unicode-categories.txt", row -> {
            CodePointSet set = switch (row[0]) {
                case "Mn" -> NONSPACING_MARK;
                case "C" -> OTHER;
                case "P" -> PUNCTUATION;
                default -> throw new IllegalStateException("unknown category " + row[0] + " in unicode-categories.txt");
            };
            set.addRange(Tables.hex(row[1]), Tables.hex(row[2]));
        });
    }

    private CharClasses() {
    }

    /** Rust's {@code char::is_whitespace}: the White_Space property (JDK's isWhitespace differs). */
    public static boolean isWhitespace(int cp) {
        if (cp < 0x80) {
            return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
        }
        return switch (cp) {
            case 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Rust's {@code char::is_numeric}: general category Nd, Nl or No (Unicode 17). */
    public static boolean isNumeric(int cp) {
        if (cp < 0x80) {
            return cp >= '0' && cp <= '9';
        }
        return NUMERIC.contains(cp);
    }

    /** {@code unicode_categories::is_other}: Cc, Cf (Unicode 14) or private use. */
    public static boolean isOther(int cp) {
        return OTHER.contains(cp);
    }

    /** {@code unicode_categories::is_mark_nonspacing} (Mn, Unicode 14). */
    public static boolean isMarkNonspacing(int cp) {
        return cp >= 0x300 && NONSPACING_MARK.contains(cp);
    }

    /** BERT's and the Punctuation pre-tokenizer's test: ASCII punctuation or a P* category (Unicode 14). */
    public static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
        }
        return PUNCTUATION.contains(cp);
    }

    /** {@code unicode_normalization::char::is_combining_mark}: Mn, Mc or Me in Unicode 9. */
    public static boolean isCombiningMark(int cp) {
        return cp >= 0x300 && UnicodeNormalization.isCombiningMark(cp);
    }

    /** The CJK blocks BERT puts spaces around. */
    public static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /**
     * Rust's {@code char::to_lowercase} when it is one char (no context rules such as the final
     * sigma), or -1 when it is several (only U+0130 İ → i̇ in SpecialCasing.txt).
     */
    public static int lowercase(int cp) {
        if (cp < 0x80) {
            return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        }
        if (!HAS_LOWERCASE.contains(cp)) {
            return cp;
        }
        int[] lower = LOWERCASE.get(cp);
        return lower.length == 1 ? lower[0] : -1;
    }

    /** Rust's {@code char::to_lowercase}, all of its chars. */
    public static int[] lowercaseFull(int cp) {
        int[] lower = LOWERCASE.get(cp);
        return lower == null ? new int[] {cp} : lower.clone();
    }
}
