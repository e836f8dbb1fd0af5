package dev.spotlight.tokenizers.unicode;

/**
 * The character classes Hugging Face tokenizers tests, each with the Unicode tables the Rust
 * library really uses: Rust's {@code char} methods (current Unicode, like the JDK's), the
 * {@code unicode_categories} crate (Unicode 14), and the
 * normalization crate's combining marks (Unicode 9).
 */
public final class CharClasses {
    private static final CodePointSet NONSPACING_MARK = new CodePointSet();
    private static final CodePointSet OTHER = new CodePointSet();
    private static final CodePointSet PUNCTUATION = new CodePointSet();

    static {
        Tables.read("categories14.txt", row -> {
            CodePointSet set = switch (row[0]) {
                case "Mn" -> NONSPACING_MARK;
                case "C" -> OTHER;
                case "P" -> PUNCTUATION;
                default -> throw new IllegalStateException("unknown category " + row[0] + " in categories14.txt");
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

    /** Rust's {@code char::is_numeric}: general category Nd, Nl or No. */
    public static boolean isNumeric(int cp) {
        if (cp < 0x80) {
            return cp >= '0' && cp <= '9';
        }
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** Rust's {@code char::is_alphanumeric}: Alphabetic or numeric. */
    public static boolean isAlphanumeric(int cp) {
        if (cp < 0x80) {
            return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
        }
        return Character.isAlphabetic(cp) || isNumeric(cp);
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
     * Whether Rust's {@code char::to_lowercase} yields several chars: only U+0130 (İ → i̇) has an
     * unconditional multi-char lowercase in SpecialCasing.txt.
     */
    public static boolean lowercaseExpands(int cp) {
        return cp == 0x130;
    }

    /** Rust's full per-char lowercase (no context rules such as the final sigma). */
    public static String lowercaseFull(int cp) {
        return cp == 0x130 ? "i\u0307" : Character.toString(Character.toLowerCase(cp));
    }
}
