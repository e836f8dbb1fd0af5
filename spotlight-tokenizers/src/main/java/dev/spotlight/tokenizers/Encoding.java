package dev.spotlight.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The result of encoding one input (or pair): Hugging Face's {@code Encoding}. Immutable: every
 * operation returns a new encoding and arrays are never written after construction, so they are
 * shared between encodings instead of copied. Offsets come twice: as Unicode code points into
 * the input (what Hugging Face's Python and Node bindings return) and as Java String (UTF-16)
 * indices. Where Hugging Face has {@code None} (word ids of special tokens, sequence ids of
 * special tokens and padding) the arrays hold -1.
 */
public final class Encoding {
    private static final int[] NO_INTS = new int[0];
    private static final String[] NO_STRINGS = new String[0];
    private static final int[] NO_RANGES = {-1, -1, -1, -1};

    private final int[] ids;
    private final int[] typeIds;
    private final String[] tokens;
    private final int[] wordIds;            // -1 = None
    private final int[] offsets;            // [length, 2] flattened, code points
    private final int[] utf16Offsets;       // [length, 2] flattened, Java String indices
    private final int[] specialTokensMask;
    private final int[] attentionMask;
    private final List<Encoding> overflowing;
    private final int[] sequenceRanges;     // [2, 2] flattened: [start, end) of sequence 0 and 1, -1 when unset

    Encoding(int[] ids, int[] typeIds, String[] tokens, int[] wordIds, int[] offsets, int[] utf16Offsets,
             int[] specialTokensMask, int[] attentionMask, List<Encoding> overflowing, int[] sequenceRanges) {
        this.ids = ids;
        this.typeIds = typeIds;
        this.tokens = tokens;
        this.wordIds = wordIds;
        this.offsets = offsets;
        this.utf16Offsets = utf16Offsets;
        this.specialTokensMask = specialTokensMask;
        this.attentionMask = attentionMask;
        this.overflowing = overflowing;
        this.sequenceRanges = sequenceRanges;
    }

    /** The empty encoding, Rust's {@code Encoding::default()}. */
    public static Encoding empty() {
        return new Encoding(NO_INTS, NO_INTS, NO_STRINGS, NO_INTS, NO_INTS, NO_INTS, NO_INTS, NO_INTS, List.of(), NO_RANGES);
    }

    /** Tokens a post-processor inserts: no word, offsets (0, 0), special, attended. */
    public static Encoding special(int[] ids, List<String> tokens, int typeId) {
        int n = ids.length;
        if (tokens.size() != n) {
            throw new TokenizerException("special tokens: " + n + " ids but " + tokens.size() + " tokens");
        }
        return new Encoding(ids.clone(), filled(n, typeId), tokens.toArray(NO_STRINGS), filled(n, -1), new int[2 * n], new int[2 * n],
                filled(n, 1), filled(n, 1), List.of(), NO_RANGES);
    }

    static int[] filled(int n, int value) {
        int[] a = new int[n];
        if (value != 0) {
            Arrays.fill(a, value);
        }
        return a;
    }

    public int length() {
        return ids.length;
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }

    public int[] ids() {
        return ids.clone();
    }

    public int id(int i) {
        return ids[i];
    }

    public int[] typeIds() {
        return typeIds.clone();
    }

    public List<String> tokens() {
        return List.of(tokens);
    }

    public String token(int i) {
        return tokens[i];
    }

    /** Word index of each token within its sequence; -1 for special tokens and padding. */
    public int[] wordIds() {
        return wordIds.clone();
    }

    /** {@code [length, 2]} flattened: start and end of each token in Unicode code points of the input. */
    public int[] offsets() {
        return offsets.clone();
    }

    public int start(int i) {
        return offsets[2 * i];
    }

    public int end(int i) {
        return offsets[2 * i + 1];
    }

    /** {@code [length, 2]} flattened: start and end of each token as Java String indices of the input. */
    public int[] utf16Offsets() {
        return utf16Offsets.clone();
    }

    public int utf16Start(int i) {
        return utf16Offsets[2 * i];
    }

    public int utf16End(int i) {
        return utf16Offsets[2 * i + 1];
    }

    public int[] specialTokensMask() {
        return specialTokensMask.clone();
    }

    public int[] attentionMask() {
        return attentionMask.clone();
    }

    public List<Encoding> overflowing() {
        return overflowing;
    }

    /** How many of this encoding and its overflowing ones (nested ones included) are shorter than {@code length}: those padding copies. */
    long countShorterThan(int length) {
        long n = ids.length < length ? 1 : 0;
        for (Encoding e : overflowing) {
            n += e.countShorterThan(length);
        }
        return n;
    }

    /** Which input sequence (0 or 1) each token comes from; -1 for special tokens and padding. */
    public int[] sequenceIds() {
        int[] out = filled(ids.length, -1);
        int n = sequenceCount();
        for (int s = 0; s < n; s++) {
            // Like Rust: a sequence without a recorded range covers the whole encoding.
            int start = s < 2 && sequenceRanges[2 * s] >= 0 ? sequenceRanges[2 * s] : 0;
            int end = s < 2 && sequenceRanges[2 * s] >= 0 ? sequenceRanges[2 * s + 1] : ids.length;
            Arrays.fill(out, start, end, s);
        }
        return out;
    }

    private int sequenceCount() {
        int n = (sequenceRanges[0] >= 0 ? 1 : 0) + (sequenceRanges[2] >= 0 ? 1 : 0);
        return n == 0 ? 1 : n;
    }

    // ---- operations used by the tokenizer and post-processors; each returns a new encoding ----

    /** All type ids set to {@code typeId} (overflowing encodings untouched, as in Rust). */
    public Encoding withTypeIds(int typeId) {
        return new Encoding(ids, filled(ids.length, typeId), tokens, wordIds, offsets, utf16Offsets, specialTokensMask,
                attentionMask, overflowing, sequenceRanges);
    }

    /** Records that the whole encoding is sequence {@code sequenceId} (0 or 1). */
    public Encoding withSequenceId(int sequenceId) {
        if (sequenceId < 0 || sequenceId > 1) {
            throw new IllegalArgumentException("sequence id must be 0 or 1, found " + sequenceId);
        }
        int[] ranges = sequenceRanges.clone();
        ranges[2 * sequenceId] = 0;
        ranges[2 * sequenceId + 1] = ids.length;
        return new Encoding(ids, typeIds, tokens, wordIds, offsets, utf16Offsets, specialTokensMask, attentionMask,
                overflowing, ranges);
    }

    public Encoding withOverflowing(List<Encoding> list) {
        return new Encoding(ids, typeIds, tokens, wordIds, offsets, utf16Offsets, specialTokensMask, attentionMask,
                List.copyOf(list), sequenceRanges);
    }

    /** New offsets, both flattened {@code [length, 2]}: code points and UTF-16 indices. */
    public Encoding withOffsets(int[] codePointOffsets, int[] utf16) {
        if (codePointOffsets.length != 2 * ids.length || utf16.length != 2 * ids.length) {
            throw new IllegalArgumentException("offsets must hold 2 * " + ids.length + " values");
        }
        return new Encoding(ids, typeIds, tokens, wordIds, codePointOffsets.clone(), utf16.clone(), specialTokensMask,
                attentionMask, overflowing, sequenceRanges);
    }

    /** Each overflowing encoding replaced by {@code f} of it. */
    public Encoding mapOverflowing(java.util.function.UnaryOperator<Encoding> f) {
        if (overflowing.isEmpty()) {
            return this;
        }
        return withOverflowing(overflowing.stream().map(f).toList());
    }

    /** Rust's {@code Encoding::merge(encodings, false)}: concatenation, overflowing combined. */
    public static Encoding merge(List<Encoding> encodings) {
        Encoding out = empty();
        for (Encoding e : encodings) {
            out = out.merge(e);
        }
        return out;
    }

    /**
     * Rust's {@code merge_with(pair, false)}: this followed by {@code pair}; the overflowing
     * encodings become every combination of ours with {@code pair} and its overflowing ones.
     */
    public Encoding merge(Encoding pair) {
        List<Encoding> combined = new ArrayList<>();
        for (Encoding mine : overflowing) {
            combined.add(mine.merge(pair));
            for (Encoding theirs : pair.overflowing) {
                combined.add(mine.merge(theirs));
            }
        }
        for (Encoding theirs : pair.overflowing) {
            combined.add(this.merge(theirs));
        }
        int n = ids.length;
        int[] ranges = sequenceRanges.clone();
        for (int s = 0; s < 2; s++) {
            if (pair.sequenceRanges[2 * s] >= 0) {
                ranges[2 * s] = pair.sequenceRanges[2 * s] + n;
                ranges[2 * s + 1] = pair.sequenceRanges[2 * s + 1] + n;
            }
        }
        return joined(this, pair, List.copyOf(combined), ranges);
    }

    private static int[] concat(int[] a, int[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b;
        }
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Rust's {@code Encoding::truncate}: keeps {@code maxLength} tokens from the {@code direction}
     * end; the rest becomes overflowing windows of {@code maxLength} tokens, each repeating
     * {@code stride} tokens of the previous one. Sequence ranges are dropped, as in Rust.
     */
    public Encoding truncate(int maxLength, int stride, Direction direction) {
        int n = ids.length;
        if (maxLength >= n) {
            return this;
        }
        if (maxLength == 0) {
            return empty().withOverflowing(List.of(this));
        }
        if (stride >= maxLength) {
            // Rust asserts here and the process dies; a clear error is the useful equivalent.
            throw new TokenizerException("Truncation error: stride " + stride + " must be strictly less than the "
                    + maxLength + " tokens left for this sequence (max_length minus the special tokens and the other sequence)");
        }
        int step = maxLength - stride;
        List<int[]> parts = new ArrayList<>();
        if (direction == Direction.Right) {
            for (int start = 0; start < n; start += step) {
                int stop = Math.min(start + maxLength, n);
                parts.add(new int[] {start, stop});
                if (stop == n) {
                    break;
                }
            }
        } else {
            for (int last = n - 1; last >= 0; last -= step) {
                int stop = last + 1;
                int start = Math.max(0, stop - maxLength);
                parts.add(new int[] {start, stop});
                if (start == 0) {
                    break;
                }
            }
        }
        List<Encoding> rest = new ArrayList<>(parts.size() - 1);
        for (int i = 1; i < parts.size(); i++) {
            rest.add(slice(parts.get(i)[0], parts.get(i)[1], List.of()));
        }
        return slice(parts.get(0)[0], parts.get(0)[1], List.copyOf(rest));
    }

    private Encoding slice(int start, int stop, List<Encoding> overflow) {
        return new Encoding(Arrays.copyOfRange(ids, start, stop), Arrays.copyOfRange(typeIds, start, stop),
                Arrays.copyOfRange(tokens, start, stop), Arrays.copyOfRange(wordIds, start, stop),
                Arrays.copyOfRange(offsets, 2 * start, 2 * stop), Arrays.copyOfRange(utf16Offsets, 2 * start, 2 * stop),
                Arrays.copyOfRange(specialTokensMask, start, stop), Arrays.copyOfRange(attentionMask, start, stop),
                overflow, NO_RANGES);
    }

    /** Rust's {@code Encoding::pad}: overflowing encodings first, then this one if shorter than {@code length}. */
    public Encoding pad(int length, int padId, int padTypeId, String padToken, Direction direction) {
        List<Encoding> over = overflowing.isEmpty() ? overflowing
                : overflowing.stream().map(e -> e.pad(length, padId, padTypeId, padToken, direction)).toList();
        int n = ids.length;
        if (n >= length) {
            return over == overflowing ? this : withOverflowing(over);
        }
        int pad = length - n;
        boolean left = direction == Direction.Left;
        int[] ranges = sequenceRanges.clone();
        if (left) {
            for (int s = 0; s < 2; s++) {
                if (ranges[2 * s] >= 0) {
                    ranges[2 * s] += pad;
                    ranges[2 * s + 1] += pad;
                }
            }
        }
        // Each array is allocated once at its padded length: building the pads as an encoding and
        // concatenating doubled the peak memory of a large padding.
        String[] paddedTokens = new String[length];
        System.arraycopy(tokens, 0, paddedTokens, left ? pad : 0, n);
        Arrays.fill(paddedTokens, left ? 0 : n, left ? pad : length, padToken);
        return new Encoding(padded(ids, pad, 1, padId, left), padded(typeIds, pad, 1, padTypeId, left), paddedTokens,
                padded(wordIds, pad, 1, -1, left), padded(offsets, pad, 2, 0, left), padded(utf16Offsets, pad, 2, 0, left),
                padded(specialTokensMask, pad, 1, 1, left), padded(attentionMask, pad, 1, 0, left), over, ranges);
    }

    /** {@code values} ({@code width} ints per token) with {@code pad} tokens of {@code value} before or after. */
    private static int[] padded(int[] values, int pad, int width, int value, boolean left) {
        int[] out = new int[values.length + pad * width];
        System.arraycopy(values, 0, out, left ? pad * width : 0, values.length);
        if (value != 0) {
            Arrays.fill(out, left ? 0 : values.length, left ? pad * width : out.length, value);
        }
        return out;
    }

    /** {@code a} followed by {@code b}, with the given overflowing encodings and sequence ranges. */
    private static Encoding joined(Encoding a, Encoding b, List<Encoding> over, int[] ranges) {
        return new Encoding(concat(a.ids, b.ids), concat(a.typeIds, b.typeIds), concat(a.tokens, b.tokens),
                concat(a.wordIds, b.wordIds), concat(a.offsets, b.offsets), concat(a.utf16Offsets, b.utf16Offsets),
                concat(a.specialTokensMask, b.specialTokensMask), concat(a.attentionMask, b.attentionMask), over, ranges);
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(tokens);
    }
}
