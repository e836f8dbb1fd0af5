package dev.spotlight.tokenizers;

/**
 * Turns UTF-16 offsets into the code-point offsets Hugging Face's bindings report, with the
 * quirks of Rust's {@code BytesToCharOffsetConverter}: an end at the end of the input maps to the
 * character count, and a start outside the input is not converted at all (Rust then leaves byte
 * offsets, so that is what comes back here too).
 */
final class CharOffsets {
    private final String input;
    private final int[] charIndex; // [input.length()] code point index of each UTF-16 unit; null when there are no surrogates

    CharOffsets(String input) {
        this.input = input;
        int n = input.length();
        int[] index = null;
        for (int i = 0; i < n; i++) {
            if (Character.isSurrogate(input.charAt(i))) {
                index = new int[n];
                int c = 0;
                for (int k = 0; k < n; k++) {
                    index[k] = c;
                    if (!(Character.isHighSurrogate(input.charAt(k)) && k + 1 < n && Character.isLowSurrogate(input.charAt(k + 1)))) {
                        c++;
                    } else {
                        index[++k] = c++;
                    }
                }
                break;
            }
        }
        this.charIndex = index;
    }

    private int at(int utf16) {
        return charIndex == null ? utf16 : charIndex[utf16];
    }

    /** Writes the code-point range of UTF-16 {@code [start, end)} to {@code out[k], out[k + 1]}. */
    void convert(int start, int end, int[] out, int k) {
        int n = input.length();
        if (start < 0 || start >= n) {
            out[k] = utf8Length(start);
            out[k + 1] = utf8Length(end);
            return;
        }
        int s = at(start);
        int e;
        if (end >= 0 && end < n) {
            e = at(end);
        } else {
            e = (end - 1 >= 0 && end - 1 < n ? at(end - 1) : s + 1) + 1;
        }
        out[k] = s;
        out[k + 1] = e;
    }

    private int utf8Length(int utf16End) {
        int end = Math.max(0, Math.min(utf16End, input.length()));
        int bytes = 0;
        for (int i = 0; i < end; ) {
            int c = input.codePointAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            i += Character.charCount(c);
        }
        return bytes + Math.max(0, utf16End - input.length());
    }
}
