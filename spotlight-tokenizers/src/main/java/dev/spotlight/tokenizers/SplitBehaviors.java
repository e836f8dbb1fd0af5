package dev.spotlight.tokenizers;

import dev.spotlight.tokenizers.NormalizedString.Matches;
import dev.spotlight.tokenizers.NormalizedString.Pattern;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import java.util.Arrays;

/**
 * Hugging Face's {@code split}: the matches of a pattern and the text between them, flagged as
 * {@code find_matches} does, then kept, dropped or merged per {@link SplitDelimiterBehavior}.
 */
final class SplitBehaviors {
    private SplitBehaviors() {
    }

    /** The pieces to keep, as {@code [start, end]} pairs of normalized UTF-16 indices (empty ones included). */
    static int[] pieces(String s, Pattern pattern, SplitDelimiterBehavior behavior, boolean invert) {
        // pieces: [count, 3] start, end, isMatch as produced by Hugging Face's find_matches
        int[] pieces;
        int count = 0;
        if (s.isEmpty()) {
            pieces = new int[] {0, 0, invert ? 1 : 0};
            count = 1;
        } else {
            Matches m = new Matches();
            pattern.findMatches(s, m);
            pieces = new int[(2 * m.size() + 1) * 3];
            int prev = 0;
            int flag = invert ? 0 : 1;
            for (int i = 0; i < m.size(); i++) {
                int start = m.start(i);
                if (prev != start) {
                    count = put(pieces, count, prev, start, 1 - flag);
                }
                count = put(pieces, count, start, m.end(i), flag);
                prev = m.end(i);
            }
            if (prev != s.length()) {
                count = put(pieces, count, prev, s.length(), 1 - flag);
            }
        }
        int[] out = new int[count * 3];
        int n = 0;
        switch (behavior) {
            case Isolated -> {
                for (int i = 0; i < count; i++) {
                    n = put(out, n, pieces[3 * i], pieces[3 * i + 1], 0);
                }
            }
            case Removed -> {
                System.arraycopy(pieces, 0, out, 0, count * 3);
                n = count;
            }
            case Contiguous -> {
                int previous = 0;
                for (int i = 0; i < count; i++) {
                    int isMatch = pieces[3 * i + 2];
                    if (isMatch == previous && n > 0) {
                        out[3 * (n - 1) + 1] = pieces[3 * i + 1];
                    } else {
                        n = put(out, n, pieces[3 * i], pieces[3 * i + 1], 0);
                    }
                    previous = isMatch;
                }
            }
            case MergedWithPrevious -> {
                int previous = 0;
                for (int i = 0; i < count; i++) {
                    int isMatch = pieces[3 * i + 2];
                    if (isMatch == 1 && previous == 0 && n > 0) {
                        out[3 * (n - 1) + 1] = pieces[3 * i + 1];
                    } else {
                        n = put(out, n, pieces[3 * i], pieces[3 * i + 1], 0);
                    }
                    previous = isMatch;
                }
            }
            case MergedWithNext -> {
                // Hugging Face folds from the right; build reversed then flip
                int previous = 0;
                for (int i = count - 1; i >= 0; i--) {
                    int isMatch = pieces[3 * i + 2];
                    if (isMatch == 1 && previous == 0 && n > 0) {
                        out[3 * (n - 1)] = pieces[3 * i];
                    } else {
                        n = put(out, n, pieces[3 * i], pieces[3 * i + 1], 0);
                    }
                    previous = isMatch;
                }
                for (int i = 0, j = n - 1; i < j; i++, j--) {
                    for (int k = 0; k < 3; k++) {
                        int t = out[3 * i + k];
                        out[3 * i + k] = out[3 * j + k];
                        out[3 * j + k] = t;
                    }
                }
            }
        }
        int[] kept = new int[2 * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (out[3 * i + 2] == 0) {
                kept[k++] = out[3 * i];
                kept[k++] = out[3 * i + 1];
            }
        }
        return Arrays.copyOf(kept, k);
    }

    private static int put(int[] a, int n, int start, int end, int flag) {
        a[3 * n] = start;
        a[3 * n + 1] = end;
        a[3 * n + 2] = flag;
        return n + 1;
    }
}
