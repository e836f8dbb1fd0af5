package dev.spotlight.tokenizers.unicode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The script of a code point as Hugging Face's own scripts.rs table gives it; unlisted code points are {@code Any}. */
public final class Scripts {
    public static final int ANY = 0;
    private static final List<String> NAMES = new ArrayList<>(List.of("Any"));
    private static final int[] STARTS;
    private static final int[] ENDS;
    private static final int[] IDS;

    static {
        Map<String, Integer> ids = new HashMap<>(Map.of("Any", ANY));
        List<int[]> rows = new ArrayList<>();
        Tables.read("scripts.txt", row -> {
            int id = ids.computeIfAbsent(row[2], k -> {
                NAMES.add(k);
                return NAMES.size() - 1;
            });
            rows.add(new int[] {Tables.hex(row[0]), Tables.hex(row[1]), id});
        });
        STARTS = new int[rows.size()];
        ENDS = new int[rows.size()];
        IDS = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            STARTS[i] = rows.get(i)[0];
            ENDS[i] = rows.get(i)[1];
            IDS[i] = rows.get(i)[2];
        }
    }

    private Scripts() {
    }

    /** The script id of {@code cp} (see {@link #name}). */
    public static int of(int cp) {
        int lo = 0;
        int hi = STARTS.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < STARTS[mid]) {
                hi = mid - 1;
            } else if (cp > ENDS[mid]) {
                lo = mid + 1;
            } else {
                return IDS[mid];
            }
        }
        return ANY;
    }

    public static int id(String name) {
        int i = NAMES.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no script " + name);
        }
        return i;
    }

    public static String name(int id) {
        return NAMES.get(id);
    }
}
