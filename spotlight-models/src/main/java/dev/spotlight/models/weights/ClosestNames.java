package dev.spotlight.models.weights;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "Did you mean" for a missing tensor name: the few existing names nearest by edit distance. */
final class ClosestNames {
    private ClosestNames() {
    }

    static List<String> near(String wanted, Collection<String> names) {
        int limit = Math.max(3, wanted.length() / 4);
        return names.stream()
                .map(n -> new Scored(n, distance(wanted, n)))
                .filter(s -> s.distance <= limit)
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(3)
                .map(Scored::name)
                .toList();
    }

    private record Scored(String name, int distance) {
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
