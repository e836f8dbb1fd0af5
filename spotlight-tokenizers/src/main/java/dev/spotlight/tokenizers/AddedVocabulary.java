package dev.spotlight.tokenizers;

import dev.spotlight.tokenizers.PreTokenizedString.Split;
import dev.spotlight.tokenizers.models.Model;
import dev.spotlight.tokenizers.models.Token;
import dev.spotlight.tokenizers.normalizers.Normalizer;
import dev.spotlight.tokenizers.unicode.CharClasses;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hugging Face's {@code AddedVocabulary}: the added tokens, their ids, and the two passes that cut
 * them out of the input before normalization ({@code normalized: false}) and after it
 * ({@code normalized: true}). Matching is leftmost-longest, as Rust's Aho-Corasick automaton is
 * configured; a match rejected by {@code single_word} still consumes its characters, as there.
 * Immutable and thread-safe.
 */
public final class AddedVocabulary {

    private final Map<String, Integer> ids = new HashMap<>();        // content -> id
    private final Map<Integer, AddedToken> tokens = new HashMap<>(); // id -> token
    private final Map<Integer, String> normalizedContent = new HashMap<>(); // id -> content after the normalizer, where it differs
    private final Set<String> specials = new HashSet<>();
    private final Matcher raw;
    private final Matcher normalized;

    /**
     * Adds {@code added} in order, like Rust's {@code add_tokens} when a tokenizer.json is loaded:
     * a content already known (added earlier or in the model's vocabulary) keeps its id, a new one
     * gets the next id after the model's vocabulary.
     */
    public AddedVocabulary(List<AddedToken> added, Model model, Normalizer normalizer) {
        int nextId = model.vocabSize();
        for (AddedToken token : added) {
            if (token.content().isEmpty()) {
                continue;
            }
            Integer known = ids.get(token.content());
            if (known != null && token.equals(tokens.get(known))) {
                continue;
            }
            int id;
            if (known != null) {
                id = known;
            } else {
                var inModel = model.tokenToId(token.content());
                id = inModel.isPresent() ? inModel.getAsInt() : nextId++;
            }
            if (token.normalized() && normalizer != null) {
                NormalizedString s = new NormalizedString(token.content());
                normalizer.normalize(s);
                if (!s.normalized().equals(token.content())) {
                    normalizedContent.put(id, s.normalized());
                }
            }
            ids.put(token.content(), id);
            if (token.special()) {
                specials.add(token.content());
            }
            tokens.put(id, token);
        }
        Map<String, Integer> rawPatterns = new LinkedHashMap<>();
        Map<String, Integer> normalizedPatterns = new LinkedHashMap<>();
        for (var e : tokens.entrySet()) {
            AddedToken t = e.getValue();
            if (t.normalized()) {
                normalizedPatterns.put(normalizedContent.getOrDefault(e.getKey(), t.content()), e.getKey());
            } else {
                rawPatterns.put(t.content(), e.getKey());
            }
        }
        raw = rawPatterns.isEmpty() ? null : new Matcher(rawPatterns);
        normalized = normalizedPatterns.isEmpty() ? null : new Matcher(normalizedPatterns);
    }

    public int size() {
        return ids.size();
    }

    /** Content to id of every added token. */
    public Map<String, Integer> vocab() {
        return Collections.unmodifiableMap(ids);
    }

    public Integer tokenToId(String content) {
        return ids.get(content);
    }

    /** The token decoding shows for {@code id} (its normalized content where the normalizer changed it), or null. */
    public String idToToken(int id) {
        AddedToken t = tokens.get(id);
        return t == null ? null : normalizedContent.getOrDefault(id, t.content());
    }

    public AddedToken token(int id) {
        return tokens.get(id);
    }

    public boolean isSpecial(String content) {
        return specials.contains(content);
    }

    /**
     * Rust's {@code extract_and_normalize}: added tokens cut out of the raw input, the rest
     * normalized, then normalized added tokens cut out of that.
     */
    public PreTokenizedString extractAndNormalize(Normalizer normalizer, String text) {
        PreTokenizedString pts = new PreTokenizedString(text);
        if (raw != null) {
            pts.split((i, s) -> split(s, raw));
        }
        if (normalizer != null || normalized != null) {
            pts.split((i, s) -> {
                if (normalizer != null) {
                    normalizer.normalize(s);
                }
                return normalized == null ? List.of(Split.of(s)) : split(s, normalized);
            });
        }
        return pts;
    }

    private List<Split> split(NormalizedString s, Matcher matcher) {
        String text = s.normalized();
        int[] found = findMatches(text, matcher); // [matches, 3]: start, stop, id (-1 = not an added token)
        if (found.length == 3 && found[2] < 0 && found[0] == 0 && found[1] == text.length()) {
            return List.of(Split.of(s));
        }
        List<Split> out = new ArrayList<>(found.length / 3);
        for (int k = 0; k < found.length; k += 3) {
            NormalizedString piece = s.slice(found[k], found[k + 1]);
            if (piece == null) {
                throw new TokenizerException("added tokens: cannot cut [" + found[k] + ", " + found[k + 1] + ") out of " + text);
            }
            if (found[k + 2] < 0) {
                out.add(Split.of(piece));
            } else {
                String value = piece.normalized();
                out.add(new Split(piece, List.of(new Token(found[k + 2], value, 0, value.length()))));
            }
        }
        return out;
    }

    /** Rust's {@code find_matches}: the input cut into non-matching runs and added-token matches. */
    private int[] findMatches(String text, Matcher matcher) {
        int n = text.length();
        IntList out = new IntList();
        int startOffset = 0;
        int from = 0;
        while (true) {
            long m = matcher.next(text, from);
            if (m < 0) {
                break;
            }
            int start = (int) (m >>> 32);
            int stop = start + matcher.lengths[(int) m];
            int id = matcher.values[(int) m];
            from = stop;
            AddedToken token = tokens.get(id);
            if (token.singleWord()) {
                boolean spaceBefore = start == 0 || !isWord(Character.codePointBefore(text, start));
                boolean spaceAfter = stop == n || !isWord(text.codePointAt(stop));
                if (!spaceBefore || !spaceAfter) {
                    continue;
                }
            }
            if (token.lstrip()) {
                int s = start;
                while (s > 0 && CharClasses.isWhitespace(Character.codePointBefore(text, s))) {
                    s -= Character.charCount(Character.codePointBefore(text, s));
                }
                start = Math.max(s, startOffset);
            }
            if (token.rstrip()) {
                while (stop < n && CharClasses.isWhitespace(text.codePointAt(stop))) {
                    stop += Character.charCount(text.codePointAt(stop));
                }
            }
            if (startOffset < start) {
                out.add(startOffset, start, -1);
            }
            out.add(start, stop, id);
            startOffset = stop;
        }
        if (startOffset != n) {
            out.add(startOffset, n, -1);
        }
        return out.toArray();
    }

    /** Rust regex's Unicode {@code \w}: alphabetic, marks, decimal digits, connector punctuation, joiners. */
    static boolean isWord(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        }
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.CONNECTOR_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** A growable int array of (start, stop, id) triples. */
    private static final class IntList {
        private int[] a = new int[12];
        private int n;

        void add(int x, int y, int z) {
            if (n + 3 > a.length) {
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = x;
            a[n++] = y;
            a[n++] = z;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    /**
     * Leftmost-longest search over a few patterns: a table of first characters rejects most
     * positions with one array read, the patterns that start with a character are tried longest first.
     */
    private static final class Matcher {
        final String[] patterns;
        final int[] lengths;
        final int[] values;
        private final boolean[] firstChar = new boolean[65536];
        private final Map<Character, int[]> byFirst = new HashMap<>(); // first char -> pattern indices, longest first

        Matcher(Map<String, Integer> patternToValue) {
            int n = patternToValue.size();
            patterns = new String[n];
            lengths = new int[n];
            values = new int[n];
            int i = 0;
            for (var e : patternToValue.entrySet()) {
                patterns[i] = e.getKey();
                lengths[i] = e.getKey().length();
                values[i] = e.getValue();
                i++;
            }
            Map<Character, List<Integer>> groups = new HashMap<>();
            for (int k = 0; k < n; k++) {
                if (patterns[k].isEmpty()) {
                    continue;   // an added token whose normalized content is empty (" " under Strip) matches nothing
                }
                char c = patterns[k].charAt(0);
                firstChar[c] = true;
                groups.computeIfAbsent(c, x -> new ArrayList<>()).add(k);
            }
            groups.forEach((c, list) -> {
                list.sort((a, b) -> Integer.compare(lengths[b], lengths[a]));
                byFirst.put(c, list.stream().mapToInt(Integer::intValue).toArray());
            });
        }

        /** The leftmost match at or after {@code from}, packed as {@code start << 32 | patternIndex}, or -1. */
        long next(String text, int from) {
            int n = text.length();
            for (int i = from; i < n; i++) {
                char c = text.charAt(i);
                if (!firstChar[c]) {
                    continue;
                }
                for (int k : byFirst.get(c)) {
                    if (lengths[k] <= n - i && text.startsWith(patterns[k], i)) {
                        return ((long) i << 32) | k;
                    }
                }
            }
            return -1;
        }
    }
}
