package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.ByteLevelAlphabet;
import dev.spotlight.tokenizers.NormalizedString;
import java.nio.charset.StandardCharsets;

/** The ByteLevel normalizer: each UTF-8 byte becomes its GPT-2 alphabet char; a char's later bytes count as inserted. */
public record ByteLevel() implements Normalizer {
    @Override
    public void normalize(NormalizedString s) {
        if (!s.isEmpty()) {
            apply(s);
        }
    }

    /** Rewrites {@code s} into the byte-level alphabet; shared with the ByteLevel pre-tokenizer. */
    public static void apply(NormalizedString s) {
        String text = s.normalized();
        boolean ascii = true;
        for (int i = 0; i < text.length() && ascii; i++) {
            ascii = text.charAt(i) < 0x80;
        }
        if (ascii) { // one byte per char, so one alphabet char in its place: alignments stay as they are
            s.map(ByteLevelAlphabet::charOf);
        } else {
            s.transform(toByteChars(text), 0);
        }
    }

    private static NormalizedString.Edit toByteChars(String text) {
        NormalizedString.Edit edit = new NormalizedString.Edit(text.length() * 2);
        byte[] buf = new byte[4];
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                edit.add(ByteLevelAlphabet.charOf(cp), 0);
                continue;
            }
            int n = utf8(cp, buf);
            for (int k = 0; k < n; k++) {
                edit.add(ByteLevelAlphabet.charOf(buf[k] & 0xFF), k > 0 ? 1 : 0);
            }
        }
        return edit;
    }

    private static int utf8(int cp, byte[] out) {
        if (cp < 0x800) {
            out[0] = (byte) (0xC0 | (cp >> 6));
            out[1] = (byte) (0x80 | (cp & 0x3F));
            return 2;
        }
        if (cp < 0x10000) {
            if (Character.isSurrogate((char) cp)) { // a lone surrogate: Java's encoder writes '?', as Rust never sees one
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(b, 0, out, 0, b.length);
                return b.length;
            }
            out[0] = (byte) (0xE0 | (cp >> 12));
            out[1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[2] = (byte) (0x80 | (cp & 0x3F));
            return 3;
        }
        out[0] = (byte) (0xF0 | (cp >> 18));
        out[1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[3] = (byte) (0x80 | (cp & 0x3F));
        return 4;
    }
}
