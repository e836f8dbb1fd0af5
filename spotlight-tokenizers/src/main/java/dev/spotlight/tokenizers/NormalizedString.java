package dev.spotlight.tokenizers;

import dev.spotlight.tokenizers.unicode.CharClasses;
import dev.spotlight.tokenizers.unicode.UnicodeNormalization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * A piece of text with its normalized form and, for every normalized char, the range of the
 * original it came from: Hugging Face's {@code NormalizedString}. Alignments are kept per UTF-16
 * char (Java String index) where Rust keeps them per byte; every char of one code point carries
 * the same alignment on both sides, so the offsets agree once both are turned into code points.
 * Transformations follow Rust's {@code transform_range} rule exactly (a char with change 0
 * replaces one char, {@code +1} is inserted and takes its left neighbour's alignment, {@code -n}
 * also removes the n chars that follow), because that rule decides every offset a user sees.
 */
public final class NormalizedString {

    /** How the matches of a pattern become pieces, as in Hugging Face's {@code split}. */
    public enum SplitDelimiterBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

    /**
     * Finds the non-overlapping matches of a pattern in a text, left to right, with Oniguruma's
     * iteration rules (an empty match right after the previous match is skipped).
     */
    @FunctionalInterface
    public interface Pattern {
        /** Adds every match of {@code inside} to {@code out} as UTF-16 ranges. */
        void findMatches(String inside, Matches out);
    }

    /** A growable list of match ranges {@code [start, end)} with no per-match object. */
    public static final class Matches {
        private int[] ranges = new int[16]; // [count, 2]: start, end
        private int count;

        public void add(int start, int end) {
            if (2 * count + 2 > ranges.length) {
                ranges = Arrays.copyOf(ranges, ranges.length * 2);
            }
            ranges[2 * count] = start;
            ranges[2 * count + 1] = end;
            count++;
        }

        public int size() {
            return count;
        }

        public int start(int i) {
            return ranges[2 * i];
        }

        public int end(int i) {
            return ranges[2 * i + 1];
        }

        public void clear() {
            count = 0;
        }
    }

    /** A pattern matching every single code point for which {@code predicate} holds. */
    public static Pattern charPattern(IntPredicate predicate) {
        return (inside, out) -> {
            for (int i = 0; i < inside.length(); ) {
                int cp = inside.codePointAt(i);
                int n = Character.charCount(cp);
                if (predicate.test(cp)) {
                    out.add(i, i + n);
                }
                i += n;
            }
        };
    }

    /** Characters to write in place of a range: code points each with its change, see the class comment. */
    public static final class Edit {
        private int[] codePoints;
        private int[] changes;
        private int size;

        public Edit() {
            this(16);
        }

        /** An edit with room for {@code capacity} chars before it grows. */
        public Edit(int capacity) {
            codePoints = new int[Math.max(capacity, 4)];
            changes = new int[codePoints.length];
        }

        public Edit add(int codePoint, int change) {
            if (size == codePoints.length) {
                codePoints = Arrays.copyOf(codePoints, size * 2);
                changes = Arrays.copyOf(changes, size * 2);
            }
            codePoints[size] = codePoint;
            changes[size] = change;
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        public int change(int index) {
            return changes[index];
        }

        public void setChange(int index, int change) {
            changes[index] = change;
        }
    }

    private final String original;
    private final int originalShift;
    private String normalized;
    private int[] alignStart; // [normalized.length()] original start of each normalized char, relative to original
    private int[] alignEnd;   // [normalized.length()] original end of each normalized char

    public NormalizedString(String original) {
        this.original = original;
        this.originalShift = 0;
        this.normalized = original;
        int n = original.length();
        this.alignStart = new int[n];
        this.alignEnd = new int[n];
        for (int i = 0; i < n; ) {
            int w = Character.charCount(original.codePointAt(i));
            for (int k = 0; k < w; k++) {
                alignStart[i + k] = i;
                alignEnd[i + k] = i + w;
            }
            i += w;
        }
    }

    private NormalizedString(String original, int originalShift, String normalized, int[] alignStart, int[] alignEnd) {
        this.original = original;
        this.originalShift = originalShift;
        this.normalized = normalized;
        this.alignStart = alignStart;
        this.alignEnd = alignEnd;
    }

    public String original() {
        return original;
    }

    public String normalized() {
        return normalized;
    }

    public boolean isEmpty() {
        return normalized.isEmpty();
    }

    public int length() {
        return normalized.length();
    }

    /** Where {@link #original()} starts in the whole input. */
    public int originalShift() {
        return originalShift;
    }

    /** The range of the whole input this piece covers, Hugging Face's {@code offsets_original}. */
    public int[] originalOffsets() {
        return new int[] {originalShift, originalShift + original.length()};
    }

    /**
     * Normalized range to the range of the whole input, as Hugging Face's encoding does:
     * {@code convert_offsets} plus this piece's shift. An empty range comes back as it went in
     * (shifted), a reversed or out-of-bounds one as null.
     */
    public int[] originalRange(int start, int end) {
        int[] r = convertNormalized(start, end);
        if (r == null) {
            return null;
        }
        r[0] += originalShift;
        r[1] += originalShift;
        return r;
    }

    /** Normalized range to a range of {@link #original()} (Hugging Face's {@code convert_offsets}). */
    private int[] convertNormalized(int start, int end) {
        if (start == end) {
            return new int[] {start, end};
        }
        if (start > end || start < 0 || end > normalized.length()) {
            return null;
        }
        return new int[] {alignStart[start], alignEnd[end - 1]};
    }

    /**
     * Range of {@link #original()} to a normalized range, Hugging Face's
     * {@code convert_offsets(Range::Original)}: null when it finds nothing.
     */
    public int[] normalizedRange(int start, int end) {
        if (start == end) {
            return new int[] {start, end};
        }
        if (start > end) {
            return null;
        }
        if (original.isEmpty() && start == 0 && end == 0) {
            return new int[] {0, normalized.length()};
        }
        int s = -1;
        int e = -1;
        for (int i = 0; i < alignStart.length && end >= alignEnd[i]; i++) {
            if (s < 0 && start <= alignStart[i] && alignStart[i] != alignEnd[i]) {
                s = i;
            }
            e = i + 1;
        }
        if (s >= 0 && e >= 0) {
            return new int[] {s, e};
        }
        if (s >= 0) {
            return new int[] {s, s};
        }
        if (e >= 0) {
            return new int[] {e, e};
        }
        return null;
    }

    /**
     * The piece at normalized {@code [start, end)}, still aligned to the whole input; null where
     * Hugging Face returns None (a bound inside a surrogate pair or out of range).
     */
    public NormalizedString slice(int start, int end) {
        int n = normalized.length();
        if (start < 0 || end > n || start > end || !isBoundary(normalized, start) || !isBoundary(normalized, end)) {
            return null;
        }
        int[] o = convertNormalized(start, end);
        if (o == null) {
            return null;
        }
        int shift = o[0];
        String originalPart = o[0] >= 0 && o[1] <= original.length() && o[0] <= o[1] ? original.substring(o[0], o[1]) : "";
        int[] s = new int[end - start];
        int[] e = new int[end - start];
        for (int i = start; i < end; i++) {
            s[i - start] = alignStart[i] - shift;
            e[i - start] = alignEnd[i] - shift;
        }
        return new NormalizedString(originalPart, originalShift + shift, normalized.substring(start, end), s, e);
    }

    private static boolean isBoundary(String s, int i) {
        return i == 0 || i == s.length() || !(Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /** Replaces the whole normalized text, Hugging Face's {@code transform}. */
    public void transform(Edit edit, int initialOffset) {
        transformRange(0, normalized.length(), edit, initialOffset);
    }

    /**
     * Replaces normalized {@code [start, end)} by the characters of {@code edit}; the first
     * {@code initialOffset} code points of the range are removed before the first new char.
     */
    public void transformRange(int start, int end, Edit edit, int initialOffset) {
        String old = normalized;
        int rp = start; // next replaced char; Rust's `offset` always equals it
        for (int k = 0; k < initialOffset && rp < end; k++) {
            rp += Character.charCount(old.codePointAt(rp));
        }
        int units = 0; // UTF-16 length of the new text
        for (int i = 0; i < edit.size; i++) {
            units += Character.charCount(edit.codePoints[i]);
        }
        StringBuilder text = new StringBuilder(units);
        int[] s = new int[units];
        int[] e = new int[units];
        int len = 0;
        for (int i = 0; i < edit.size; i++) {
            int cp = edit.codePoints[i];
            int change = edit.changes[i];
            int as;
            int ae;
            if (change > 0) {
                as = rp < 1 ? 0 : alignStart[rp - 1];
                ae = rp < 1 ? 0 : alignEnd[rp - 1];
            } else {
                if (rp >= alignStart.length) {
                    throw new IllegalStateException("transform replaces a char past the end of \"" + old + "\"");
                }
                as = alignStart[rp];
                ae = alignEnd[rp];
                if (rp < end) {
                    rp += Character.charCount(old.codePointAt(rp));
                }
                for (int k = 0; k < -change && rp < end; k++) {
                    rp += Character.charCount(old.codePointAt(rp));
                }
            }
            int w = Character.charCount(cp);
            for (int k = 0; k < w; k++) {
                s[len] = as;
                e[len] = ae;
                len++;
            }
            text.appendCodePoint(cp);
        }
        int tail = old.length() - end;
        int[] ns = new int[start + len + tail];
        int[] ne = new int[ns.length];
        System.arraycopy(alignStart, 0, ns, 0, start);
        System.arraycopy(alignEnd, 0, ne, 0, start);
        System.arraycopy(s, 0, ns, start, len);
        System.arraycopy(e, 0, ne, start, len);
        System.arraycopy(alignStart, end, ns, start + len, tail);
        System.arraycopy(alignEnd, end, ne, start + len, tail);
        alignStart = ns;
        alignEnd = ne;
        normalized = start == 0 && end == old.length() ? text.toString()
                : old.substring(0, start) + text + old.substring(end);
    }

    /**
     * Maps every code point to one code point (Hugging Face's {@code map}). When the mapping
     * keeps every char's UTF-16 width the alignments do not move, so they are left as they are.
     */
    public void map(IntUnaryOperator f) {
        String s = normalized;
        StringBuilder out = null;
        boolean sameWidths = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int m = f.applyAsInt(cp);
            int w = Character.charCount(cp);
            if (m != cp && out == null) {
                out = new StringBuilder(s.length());
                out.append(s, 0, i);
            }
            if (out != null) {
                out.appendCodePoint(m);
            }
            sameWidths &= Character.charCount(m) == w;
            i += w;
        }
        if (out == null) {
            return;
        }
        if (sameWidths) {
            normalized = out.toString();
            return;
        }
        Edit edit = new Edit(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            edit.add(f.applyAsInt(cp), 0);
            i += Character.charCount(cp);
        }
        transform(edit, 0);
    }

    /** Keeps the code points for which {@code keep} holds (Hugging Face's {@code filter}). */
    public void filter(IntPredicate keep) {
        String s = normalized;
        int firstDrop = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!keep.test(cp)) {
                firstDrop = i;
                break;
            }
            i += Character.charCount(cp);
        }
        if (firstDrop < 0) {
            return;
        }
        Edit edit = new Edit(s.length());
        int removed = 0;
        int removedStart = 0;
        int last = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (keep.test(cp)) {
                if (last >= 0) {
                    edit.add(last, -removed);
                } else {
                    removedStart = removed;
                }
                last = cp;
                removed = 0;
            } else {
                removed++;
            }
            i += Character.charCount(cp);
        }
        if (last >= 0) {
            edit.add(last, -removed);
        }
        transform(edit, removedStart);
    }

    /** Per-code-point lowercase as Rust's {@code char::to_lowercase} (no final-sigma rule). */
    public void lowercase() {
        String s = normalized;
        boolean simple = true;
        boolean changed = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int lower = CharClasses.lowercase(cp);
            if (lower < 0) {
                simple = false;
                break;
            }
            changed |= lower != cp;
            i += Character.charCount(cp);
        }
        if (simple) {
            if (changed) {
                map(CharClasses::lowercase);
            }
            return;
        }
        Edit edit = new Edit(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int[] lower = CharClasses.lowercaseFull(cp);
            for (int k = 0; k < lower.length; k++) {
                edit.add(lower[k], k > 0 ? 1 : 0);
            }
            i += Character.charCount(cp);
        }
        transform(edit, 0);
    }

    public void nfd() {
        UnicodeNormalization.apply(this, UnicodeNormalization.Form.NFD);
    }

    public void nfkd() {
        UnicodeNormalization.apply(this, UnicodeNormalization.Form.NFKD);
    }

    public void nfc() {
        UnicodeNormalization.apply(this, UnicodeNormalization.Form.NFC);
    }

    public void nfkc() {
        UnicodeNormalization.apply(this, UnicodeNormalization.Form.NFKC);
    }

    /** Puts {@code s} before the text; it takes the first char's alignment. No-op on empty text. */
    public void prepend(String s) {
        if (normalized.isEmpty()) {
            return;
        }
        int next = normalized.codePointAt(0);
        Edit edit = new Edit();
        int k = 0;
        for (int j = 0; j < s.length(); ) {
            int c = s.codePointAt(j);
            edit.add(c, k++ != 0 ? 1 : 0);
            j += Character.charCount(c);
        }
        edit.add(next, 1);
        transformRange(0, Character.charCount(next), edit, 0);
    }

    /** Puts {@code s} after the text; it takes the last char's alignment. */
    public void append(String s) {
        Edit edit = new Edit();
        int from = normalized.length();
        if (!normalized.isEmpty()) {
            int last = normalized.codePointBefore(normalized.length());
            from -= Character.charCount(last);
            edit.add(last, 0);
        }
        for (int j = 0; j < s.length(); ) {
            int c = s.codePointAt(j);
            edit.add(c, 1);
            j += Character.charCount(c);
        }
        transformRange(from, normalized.length(), edit, 0);
    }

    /**
     * Replaces every match of {@code pattern} by {@code content}; the new chars all take the
     * alignment of the char before the match (Hugging Face's {@code replace}).
     */
    public void replace(Pattern pattern, String content) {
        Matches m = new Matches();
        if (!normalized.isEmpty()) {
            pattern.findMatches(normalized, m);
        }
        if (m.size() == 0) {
            return;
        }
        String s = normalized;
        StringBuilder text = new StringBuilder(s.length() + content.length() * m.size());
        int cap = s.length() + content.length() * m.size() + 1;
        int[] ns = new int[cap];
        int[] ne = new int[cap];
        int len = 0;
        int lastEnd = 0;
        for (int i = 0; i < m.size(); i++) {
            int start = m.start(i);
            int end = m.end(i);
            text.append(s, lastEnd, start);
            System.arraycopy(alignStart, lastEnd, ns, len, start - lastEnd);
            System.arraycopy(alignEnd, lastEnd, ne, len, start - lastEnd);
            len += start - lastEnd;
            // every inserted char looks one char to the left of the end of the removed match
            int as = end < 1 ? 0 : alignStart[end - 1];
            int ae = end < 1 ? 0 : alignEnd[end - 1];
            for (int k = 0; k < content.length(); k++) {
                ns[len] = as;
                ne[len] = ae;
                len++;
            }
            text.append(content);
            lastEnd = end;
        }
        text.append(s, lastEnd, s.length());
        System.arraycopy(alignStart, lastEnd, ns, len, s.length() - lastEnd);
        System.arraycopy(alignEnd, lastEnd, ne, len, s.length() - lastEnd);
        len += s.length() - lastEnd;
        normalized = text.toString();
        alignStart = Arrays.copyOf(ns, len);
        alignEnd = Arrays.copyOf(ne, len);
    }

    public void lstrip() {
        stripSides(true, false);
    }

    public void rstrip() {
        stripSides(false, true);
    }

    public void strip() {
        stripSides(true, true);
    }

    private void stripSides(boolean left, boolean right) {
        String s = normalized;
        int from = 0;
        int leading = 0;
        if (left) {
            while (from < s.length() && CharClasses.isWhitespace(s.codePointAt(from))) {
                from += Character.charCount(s.codePointAt(from));
                leading++;
            }
        }
        int to = s.length();
        int trailing = 0;
        if (right) {
            while (to > from && CharClasses.isWhitespace(s.codePointBefore(to))) {
                to -= Character.charCount(s.codePointBefore(to));
                trailing++;
            }
        }
        if (leading == 0 && trailing == 0) {
            return;
        }
        Edit edit = new Edit();
        for (int i = from; i < to; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            edit.add(cp, i == to ? -trailing : 0);
        }
        transform(edit, leading);
    }

    /** Empties the text, Hugging Face's {@code clear}. */
    public void clear() {
        transform(new Edit(), normalized.codePointCount(0, normalized.length()));
    }

    /** Splits on the matches of {@code pattern} (Hugging Face's {@code split}). */
    public List<NormalizedString> split(Pattern pattern, SplitDelimiterBehavior behavior) {
        return split(pattern, behavior, false);
    }

    /**
     * Splits on the matches of {@code pattern}; with {@code invert} the matches and the text
     * between them swap roles (Hugging Face's {@code Invert} pattern).
     */
    public List<NormalizedString> split(Pattern pattern, SplitDelimiterBehavior behavior, boolean invert) {
        int[] ranges = SplitBehaviors.pieces(normalized, pattern, behavior, invert); // [pieces, 2]: start, end
        List<NormalizedString> result = new ArrayList<>(ranges.length / 2);
        for (int i = 0; i < ranges.length; i += 2) {
            NormalizedString piece = slice(ranges[i], ranges[i + 1]);
            if (piece == null) {
                throw new IllegalStateException("split at " + ranges[i] + ".." + ranges[i + 1] + " is not on a char boundary");
            }
            result.add(piece);
        }
        return result;
    }

    /** Alignment of normalized char {@code i} within {@link #original()}: {start, end}. */
    public int[] alignment(int i) {
        return new int[] {alignStart[i], alignEnd[i]};
    }

    @Override
    public String toString() {
        return "NormalizedString[" + original + " -> " + normalized + " @" + originalShift + "]";
    }
}
