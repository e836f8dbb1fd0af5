package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.unicode.CharClasses;

/**
 * Rust's {@code process_offsets} for byte-level tokens: a token's offsets lose the leading and
 * trailing spaces ({@code Ġ} or real whitespace) it carries, except the one space
 * {@code add_prefix_space} put before the first token. Counts are in characters, which matches
 * the code-point offsets Hugging Face's bindings report.
 */
final class OffsetTrimming {
    private static final char SPACE_BYTE = '\u0120'; // 'Ġ', the byte-level character for ' '

    private OffsetTrimming() {
    }

    static Encoding trim(Encoding e, boolean addPrefixSpace) {
        int n = e.length();
        int[] cp = e.offsets();         // [n, 2]
        int[] utf16 = e.utf16Offsets(); // [n, 2]
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            String token = e.token(i);
            int leading = 0;
            for (int k = 0; k < token.length(); ) {
                int c = token.codePointAt(k);
                if (c != SPACE_BYTE && !CharClasses.isWhitespace(c)) {
                    break;
                }
                leading++;
                k += Character.charCount(c);
            }
            int trailing = 0;
            for (int k = token.length(); k > 0; ) {
                int c = token.codePointBefore(k);
                if (c != SPACE_BYTE && !CharClasses.isWhitespace(c)) {
                    break;
                }
                trailing++;
                k -= Character.charCount(c);
            }
            if (leading == 0 && trailing == 0) {
                continue;
            }
            changed = true;
            if (leading > 0 && addPrefixSpace && leading == 1 && (i == 0 || cp[2 * i] == 0)) {
                leading = 0;
            }
            trim(cp, i, leading, trailing);
            trim(utf16, i, leading, trailing);
        }
        return changed ? e.withOffsets(cp, utf16) : e;
    }

    private static void trim(int[] offsets, int i, int leading, int trailing) {
        if (leading > 0) {
            offsets[2 * i] = Math.min(offsets[2 * i] + leading, offsets[2 * i + 1]);
        }
        if (trailing > 0 && offsets[2 * i + 1] >= trailing) {
            offsets[2 * i + 1] = Math.max(offsets[2 * i + 1] - trailing, offsets[2 * i]);
        }
    }
}
