package dev.spotlight.tokenizers.unicode;

import dev.spotlight.tokenizers.NormalizedString;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * NFD, NFKD, NFC and NFKC with the alignment bookkeeping of the crate Hugging Face uses
 * ({@code unicode-normalization-alignments}, Unicode 9.0 data): each decomposed char after the
 * first counts as inserted, canonical reordering carries those marks along with the chars, and a
 * composition of two chars adds their changes minus one. {@code java.text.Normalizer} gives the
 * same text for most inputs but no alignments and newer Unicode data, hence this port of the
 * algorithm over the crate's own tables.
 */
public final class UnicodeNormalization {

    public enum Form { NFD, NFKD, NFC, NFKC }

    private static final int S_BASE = 0xAC00, L_BASE = 0x1100, V_BASE = 0x1161, T_BASE = 0x11A7;
    private static final int L_COUNT = 19, V_COUNT = 21, T_COUNT = 28, N_COUNT = V_COUNT * T_COUNT, S_COUNT = L_COUNT * N_COUNT;

    private static final byte[] CCC = new byte[0x20000]; // combining class by code point (none above U+1FFFF)
    private static final Map<Integer, int[]> CANONICAL = new HashMap<>();
    private static final Map<Integer, int[]> COMPATIBLE = new HashMap<>();
    private static final Map<Long, Integer> COMPOSE = new HashMap<>();
    private static final CodePointSet COMBINING_MARK = new CodePointSet();
    /** Code points that are the second char of some composition: every other pair skips the map. */
    private static final CodePointSet COMPOSES_BACKWARDS = new CodePointSet();
    /** Code points that may change under some form: anything decomposable, combining, or composable. */
    private static final CodePointSet ACTIVE = new CodePointSet();

    static {
        Tables.read("normalization9.txt", row -> {
            switch (row[0]) {
                case "c" -> CCC[Tables.hex(row[1])] = (byte) Integer.parseInt(row[2]);
                case "d", "k" -> {
                    int[] seq = new int[row.length - 2];
                    for (int i = 0; i < seq.length; i++) {
                        seq[i] = Tables.hex(row[i + 2]);
                    }
                    (row[0].equals("d") ? CANONICAL : COMPATIBLE).put(Tables.hex(row[1]), seq);
                }
                case "p" -> COMPOSE.put(pair(Tables.hex(row[1]), Tables.hex(row[2])), Tables.hex(row[3]));
                case "m" -> COMBINING_MARK.addRange(Tables.hex(row[1]), Tables.hex(row[2]));
                default -> throw new IllegalStateException("unknown row " + Arrays.toString(row) + " in normalization9.txt");
            }
        });
        for (int cp = 0; cp < CCC.length; cp++) {
            if (CCC[cp] != 0) {
                ACTIVE.addRange(cp, cp);
            }
        }
        CANONICAL.keySet().forEach(cp -> ACTIVE.addRange(cp, cp));
        COMPATIBLE.keySet().forEach(cp -> ACTIVE.addRange(cp, cp));
        COMPOSE.forEach((k, v) -> {
            ACTIVE.addRange((int) (k >>> 32), (int) (k >>> 32));
            ACTIVE.addRange((int) (long) k, (int) (long) k);
            COMPOSES_BACKWARDS.addRange((int) (long) k, (int) (long) k);
        });
        ACTIVE.addRange(L_BASE, L_BASE + L_COUNT - 1);
        ACTIVE.addRange(V_BASE, V_BASE + V_COUNT - 1);
        ACTIVE.addRange(T_BASE, T_BASE + T_COUNT - 1);
        ACTIVE.addRange(S_BASE, S_BASE + S_COUNT - 1);
    }

    private UnicodeNormalization() {
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    static boolean isCombiningMark(int cp) {
        return COMBINING_MARK.contains(cp);
    }

    public static int combiningClass(int cp) {
        return cp < 0x300 || cp >= CCC.length ? 0 : CCC[cp] & 0xFF;
    }

    /** The normalized text alone (what the crate's iterators yield, without changes). */
    public static String normalize(String text, Form form) {
        NormalizedString n = new NormalizedString(text);
        apply(n, form);
        return n.normalized();
    }

    /** Normalizes {@code s} in place with Hugging Face's alignment rules. */
    public static void apply(NormalizedString s, Form form) {
        String text = s.normalized();
        if (untouched(text)) {
            return;
        }
        Buffer d = decompose(text, form == Form.NFKD || form == Form.NFKC);
        NormalizedString.Edit edit = new NormalizedString.Edit(d.size);
        if (form == Form.NFD || form == Form.NFKD) {
            for (int i = 0; i < d.size; i++) {
                edit.add(d.cps[i], d.changes[i]);
            }
        } else {
            recompose(d, edit);
        }
        s.transform(edit, 0);
    }

    /** True when no char of {@code text} can decompose, reorder or compose: the transform would be the identity. */
    private static boolean untouched(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= 0xA0 && ACTIVE.contains(cp)) {
                return false;
            }
            // ASCII letters start compositions only when a combining mark follows, which is ACTIVE itself
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Decomposed code points with their changes and combining classes, reordered canonically. */
    private static final class Buffer {
        int[] cps;
        int[] changes;
        int[] classes;
        int size;

        Buffer(int capacity) {
            cps = new int[Math.max(capacity, 4)];
            changes = new int[cps.length];
            classes = new int[cps.length];
        }

        void add(int cp, int change) {
            if (size == cps.length) {
                cps = Arrays.copyOf(cps, size * 2);
                changes = Arrays.copyOf(changes, size * 2);
                classes = Arrays.copyOf(classes, size * 2);
            }
            cps[size] = cp;
            changes[size] = change;
            classes[size] = combiningClass(cp);
            size++;
        }
    }

    private static Buffer decompose(String text, boolean compatible) {
        Buffer b = new Buffer(text.length() + text.length() / 4);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp <= 0x7F) {
                b.add(cp, 0);
            } else if (cp >= S_BASE && cp < S_BASE + S_COUNT) {
                int si = cp - S_BASE;
                b.add(L_BASE + si / N_COUNT, 0);
                b.add(V_BASE + (si % N_COUNT) / T_COUNT, 1);
                if (si % T_COUNT > 0) {
                    b.add(T_BASE + si % T_COUNT, 1);
                }
            } else if (!ACTIVE.contains(cp)) {
                b.add(cp, 0);
            } else {
                int[] seq = compatible ? COMPATIBLE.get(cp) : null;
                if (seq == null) {
                    seq = CANONICAL.get(cp);
                }
                if (seq == null) {
                    b.add(cp, 0);
                } else {
                    for (int k = 0; k < seq.length; k++) {
                        b.add(seq[k], k == 0 ? 0 : 1);
                    }
                }
            }
        }
        // canonical ordering: a stable sort of each run of non-starters by combining class
        for (int start = 0; start < b.size; ) {
            if (b.classes[start] == 0) {
                start++;
                continue;
            }
            int end = start;
            while (end < b.size && b.classes[end] != 0) {
                end++;
            }
            for (int i = start + 1; i < end; i++) { // insertion sort: runs are short and it is stable
                int cp = b.cps[i], ch = b.changes[i], cl = b.classes[i];
                int j = i - 1;
                while (j >= start && b.classes[j] > cl) {
                    b.cps[j + 1] = b.cps[j];
                    b.changes[j + 1] = b.changes[j];
                    b.classes[j + 1] = b.classes[j];
                    j--;
                }
                b.cps[j + 1] = cp;
                b.changes[j + 1] = ch;
                b.classes[j + 1] = cl;
            }
            start = end;
        }
        return b;
    }

    private static int compose(int a, int b) {
        if (a >= L_BASE && a < L_BASE + L_COUNT && b >= V_BASE && b < V_BASE + V_COUNT) {
            return S_BASE + ((a - L_BASE) * N_COUNT + (b - V_BASE) * T_COUNT);
        }
        if (a >= S_BASE && a < S_BASE + S_COUNT && b > T_BASE && b < T_BASE + T_COUNT && (a - S_BASE) % T_COUNT == 0) {
            return a + (b - T_BASE);
        }
        if (!COMPOSES_BACKWARDS.contains(b)) {
            return -1;
        }
        Integer r = COMPOSE.get(pair(a, b));
        return r == null ? -1 : r;
    }

    /** The crate's recomposition state machine, emitting into {@code out}. */
    private static void recompose(Buffer d, NormalizedString.Edit out) {
        int composee = -1;
        int composeeChange = 0;
        int lastClass = -1; // -1: none
        int[] pendCp = new int[8];
        int[] pendCh = new int[8];
        int pending = 0;
        for (int i = 0; i < d.size; i++) {
            int ch = d.cps[i];
            int change = d.changes[i];
            int cls = d.classes[i];
            if (composee < 0) {
                if (cls != 0) {
                    out.add(ch, change);
                } else {
                    composee = ch;
                    composeeChange = change;
                }
                continue;
            }
            if (lastClass < 0) {
                int r = compose(composee, ch);
                if (r >= 0) {
                    composee = r;
                    composeeChange = composeeChange + change - 1;
                    continue;
                }
                if (cls == 0) {
                    out.add(composee, composeeChange);
                    composee = ch;
                    composeeChange = change;
                    continue;
                }
            } else {
                if (lastClass >= cls) {
                    if (cls == 0) {
                        out.add(composee, composeeChange);
                        for (int k = 0; k < pending; k++) {
                            out.add(pendCp[k], pendCh[k]);
                        }
                        pending = 0;
                        composee = ch;
                        composeeChange = change;
                        lastClass = -1;
                        continue;
                    }
                } else {
                    int r = compose(composee, ch);
                    if (r >= 0) {
                        composee = r;
                        composeeChange = composeeChange + change - 1;
                        continue;
                    }
                }
            }
            if (pending == pendCp.length) {
                pendCp = Arrays.copyOf(pendCp, pending * 2);
                pendCh = Arrays.copyOf(pendCh, pending * 2);
            }
            pendCp[pending] = ch;
            pendCh[pending] = change;
            pending++;
            lastClass = cls;
        }
        if (composee >= 0) {
            out.add(composee, composeeChange);
        }
        for (int k = 0; k < pending; k++) {
            out.add(pendCp[k], pendCh[k]);
        }
    }
}
