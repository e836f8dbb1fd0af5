package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.NormalizedString;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;

/**
 * SentencePiece's compiled normalization rules ({@code precompiled_charsmap}): a little-endian
 * u32 trie size, a Darts double-array trie over UTF-8 bytes, then a pool of NUL-terminated
 * replacement strings. Applied as Hugging Face does: per extended grapheme cluster when its
 * UTF-8 form is shorter than 6 bytes and the trie knows a prefix of it, otherwise per char; the
 * first (shortest) prefix hit replaces the whole piece.
 */
public final class Precompiled implements Normalizer {
    private final long[] units;      // [trieSize / 4] double-array units (unsigned u32)
    private final byte[] pool;       // replacement strings, NUL-terminated, UTF-8
    private final String[] ascii;    // [128] replacement of each ASCII char, null when none

    /** @throws IllegalArgumentException when the blob is not a charsmap */
    public Precompiled(byte[] charsmap) {
        if (charsmap.length < 4) {
            throw new IllegalArgumentException("precompiled_charsmap has " + charsmap.length + " bytes, expected at least 4");
        }
        long trieSize = u32(charsmap, 0);
        if (trieSize / 4 * 4 + 4 > charsmap.length) {
            throw new IllegalArgumentException("precompiled_charsmap trie size " + trieSize + " exceeds the blob (" + charsmap.length + " bytes)");
        }
        int n = (int) (trieSize / 4);
        units = new long[n];
        for (int i = 0; i < n; i++) {
            units[i] = u32(charsmap, 4 + 4 * i);
        }
        int poolStart = 4 + 4 * n;
        pool = java.util.Arrays.copyOfRange(charsmap, poolStart, charsmap.length);
        if (!StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(pool), java.nio.CharBuffer.allocate(pool.length), true).isUnderflow()) {
            throw new IllegalArgumentException("precompiled_charsmap replacement strings are not valid UTF-8");
        }
        ascii = new String[128];
        for (int c = 0; c < 128; c++) {
            ascii[c] = transform(new byte[] {(byte) c});
        }
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    /** The unit at {@code pos}; 0 (no label, no leaf) outside the array, where Rust would panic instead. */
    private long unit(long pos) {
        return pos >= 0 && pos < units.length ? units[(int) pos] : 0;
    }

    private static long offset(long unit) {
        return (unit >>> 10) << ((unit & (1L << 9)) >>> 6);
    }

    /** The replacement for the first key of the trie that is a prefix of {@code key}, or null. */
    String transform(byte[] key) {
        long pos = 0;
        long u = unit(pos);
        pos ^= offset(u);
        for (byte b : key) {
            int c = b & 0xFF;
            if (c == 0) {
                break;
            }
            pos ^= c;
            u = unit(pos);
            if ((u & ((1L << 31) | 0xFF)) != c) {
                return null;
            }
            pos ^= offset(u);
            if (((u >>> 8) & 1) == 1) {
                return pos < units.length ? at((int) (units[(int) pos] & ((1L << 31) - 1))) : null;
            }
        }
        return null;
    }

    private String at(int index) {
        int end = index;
        while (end < pool.length && pool[end] != 0) {
            end++;
        }
        return index >= pool.length ? "" : new String(pool, index, end - index, StandardCharsets.UTF_8);
    }

    @Override
    public void normalize(NormalizedString s) {
        String text = s.normalized();
        if (untouchedAscii(text)) {
            return;
        }
        NormalizedString.Edit edit = new NormalizedString.Edit(text.length());
        boolean modified = false;
        BreakIterator graphemes = null;
        int len = text.length();
        for (int i = 0; i < len; ) {
            char c = text.charAt(i);
            int end;
            if (c < 0x80 && c != '\r' && (i + 1 == len || text.charAt(i + 1) < 0x80)) {
                end = i + 1; // an ASCII char followed by ASCII is a grapheme of its own (CR LF aside)
            } else {
                if (graphemes == null) {
                    graphemes = BreakIterator.getCharacterInstance();
                    graphemes.setText(text);
                }
                end = graphemes.following(i);
            }
            modified |= graphemeEdit(text, i, end, edit);
            i = end;
        }
        if (modified) {
            s.transform(edit, 0);
        }
    }

    /** True when {@code text} is ASCII without CR LF pairs and the charsmap rewrites none of its chars. */
    private boolean untouchedAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || ascii[c] != null || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')) {
                return false;
            }
        }
        return true;
    }

    /** Appends the chars of grapheme {@code text[from, to)} to {@code edit}; true when something was replaced. */
    private boolean graphemeEdit(String text, int from, int to, NormalizedString.Edit edit) {
        if (to - from == 1 && text.charAt(from) < 0x80) {
            String r = ascii[text.charAt(from)];
            if (r == null) {
                edit.add(text.charAt(from), 0);
                return false;
            }
            replace(edit, 1, r);
            return true;
        }
        String grapheme = text.substring(from, to);
        byte[] bytes = grapheme.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 6) {
            String r = transform(bytes);
            if (r != null) {
                replace(edit, grapheme.codePointCount(0, grapheme.length()), r);
                return true;
            }
        }
        boolean modified = false;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            String r = cp < 0x80 ? ascii[cp] : transform(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
            if (r != null) {
                replace(edit, 1, r);
                modified = true;
            } else {
                edit.add(cp, 0);
            }
        }
        return modified;
    }

    /**
     * Hugging Face's bookkeeping for replacing {@code oldCount} chars by {@code replacement}: the new
     * chars replace in place, extra ones count as inserted, and a shortfall is charged to the last
     * char written so far (even one from an earlier piece).
     */
    private static void replace(NormalizedString.Edit edit, int oldCount, String replacement) {
        int newCount = 0;
        for (int j = 0; j < replacement.length(); ) {
            int c = replacement.codePointAt(j);
            edit.add(c, 0);
            newCount++;
            j += Character.charCount(c);
        }
        int diff = newCount - oldCount;
        if (diff > 0) {
            for (int k = edit.size() - diff; k < edit.size(); k++) {
                edit.setChange(k, 1);
            }
        } else if (diff < 0 && edit.size() > 0) {
            edit.setChange(edit.size() - 1, edit.change(edit.size() - 1) + diff);
        }
    }
}
