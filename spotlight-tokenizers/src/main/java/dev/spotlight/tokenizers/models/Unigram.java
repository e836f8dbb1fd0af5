package dev.spotlight.tokenizers.models;

import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.TokenizerException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * SentencePiece's unigram language model: the segmentation with the highest total piece score,
 * found by Viterbi over every vocabulary piece that starts at each position. A character no piece
 * covers costs {@code min_score − 10} as the unknown piece; adjacent unknowns fuse into one token
 * (whose text is the original text, as in Rust), or become {@code <0xNN>} tokens with byte fallback.
 */
public final class Unigram implements Model {
    /** Rust's K_UNK_PENALTY. */
    private static final double UNK_PENALTY = 10.0;
    /** {@code <0x00>} … {@code <0xFF>}, formatted once: per byte, String.format dominated long unknown runs. */
    private static final String[] BYTE_PIECES = new String[256];

    static {
        for (int b = 0; b < 256; b++) {
            BYTE_PIECES[b] = String.format("<0x%02X>", b);
        }
    }

    private final String[] pieces;
    private final double[] scores;
    private final Map<String, Integer> ids;
    private final Integer unkId;          // nullable
    private final boolean byteFallback;
    private final double unkScore;
    private final CharTrie trie = new CharTrie();

    private Unigram(String[] pieces, double[] scores, Integer unkId, boolean byteFallback) {
        this.pieces = pieces;
        this.scores = scores;
        this.unkId = unkId;
        this.byteFallback = byteFallback;
        Map<String, Integer> map = new HashMap<>(pieces.length * 2);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < pieces.length; i++) {
            map.put(pieces[i], i);  // a piece listed twice keeps its last id, as in Rust
            min = Math.min(min, scores[i]);
            trie.insert(pieces[i], i);
        }
        this.ids = Collections.unmodifiableMap(map);
        this.unkScore = (pieces.length == 0 ? 0 : min) - UNK_PENALTY;
    }

    static Unigram fromJson(JsonView block) {
        List<JsonView> entries = block.get("vocab").elements();
        String[] pieces = new String[entries.size()];
        double[] scores = new double[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            List<JsonView> pair = entries.get(i).elements();
            if (pair.size() != 2) {
                throw entries.get(i).mismatch("a pair [\"piece\", score]");
            }
            pieces[i] = pair.get(0).asString();
            scores[i] = pair.get(1).asDouble();
        }
        Integer unkId = block.has("unk_id") ? block.integer("unk_id") : null;
        if (unkId != null && (unkId < 0 || unkId >= pieces.length)) {
            throw block.error("unk_id", "unk_id " + unkId + " is outside the vocabulary of " + pieces.length + " pieces");
        }
        return new Unigram(pieces, scores, unkId, block.bool("byte_fallback", false));
    }

    @Override
    public List<Token> tokenize(String sentence) {
        if (sentence.isEmpty()) {
            return List.of();
        }
        List<String> segments = viterbi(sentence);
        List<Token> tokens = new ArrayList<>(segments.size());
        int offset = 0;
        for (String segment : segments) {
            int end = offset + segment.length();
            Integer id = ids.get(segment);
            if (id == null) {
                if (byteFallback && addBytes(tokens, segment, offset, end)) {
                    offset = end;
                    continue;
                }
                if (unkId == null) {
                    throw new TokenizerException("Unigram: \"" + segment + "\" is not in the vocabulary and the model has no unk_id");
                }
                id = unkId;
            }
            tokens.add(new Token(id, segment, offset, end));
            offset = end;
        }
        return tokens;
    }

    private boolean addBytes(List<Token> tokens, String segment, int start, int end) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        List<Token> out = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            String piece = BYTE_PIECES[b & 0xFF];
            Integer id = ids.get(piece);
            if (id == null) {
                return false;
            }
            out.add(new Token(id, piece, start, end));
        }
        tokens.addAll(out);
        return true;
    }

    /** Best segmentation; unknown characters next to each other come back as one segment (Rust's fuse_unk). */
    private List<String> viterbi(String s) {
        int n = s.length();
        double[] best = new double[n + 1];
        int[] from = new int[n + 1];
        int[] piece = new int[n + 1];
        java.util.Arrays.fill(from, -1);
        for (int start = 0; start < n; start = start + Character.charCount(s.codePointAt(start))) {
            if (start > 0 && from[start] < 0) {
                continue;  // unreachable position (inside a surrogate pair)
            }
            double here = best[start];
            int charLength = Character.charCount(s.codePointAt(start));
            boolean singleChar = false;
            int node = CharTrie.root();
            for (int i = start; i < n && node != CharTrie.NONE; i++) {
                node = trie.child(node, s.charAt(i));
                int id = node == CharTrie.NONE ? CharTrie.NONE : trie.pieceId(node);
                if (id != CharTrie.NONE) {
                    int end = i + 1;
                    double candidate = scores[id] + here;
                    if (from[end] < 0 || candidate > best[end]) {
                        best[end] = candidate;
                        from[end] = start;
                        piece[end] = id;
                    }
                    if (end - start == charLength) {
                        singleChar = true;
                    }
                }
            }
            if (!singleChar) {
                int end = start + charLength;
                double candidate = unkScore + here;
                if (from[end] < 0 || candidate > best[end]) {
                    best[end] = candidate;
                    from[end] = start;
                    piece[end] = -1;  // the unknown piece
                }
            }
        }
        List<String> out = new ArrayList<>();
        // A run of unknown segments is contiguous: remember where it starts and ends and cut it out
        // once (prepending to a builder per segment made a 1M-character unknown run quadratic).
        int unknownStart = -1;
        int unknownEnd = -1;
        for (int end = n; end > 0; end = from[end]) {
            int start = from[end];
            boolean isUnk = piece[end] < 0 || (unkId != null && piece[end] == unkId);
            if (isUnk && unkId != null) {
                unknownEnd = unknownStart < 0 ? end : unknownEnd;
                unknownStart = start;
            } else {
                if (unknownStart >= 0) {
                    out.add(s.substring(unknownStart, unknownEnd));
                    unknownStart = -1;
                }
                out.add(s.substring(start, end));
            }
        }
        if (unknownStart >= 0) {
            out.add(s.substring(unknownStart, unknownEnd));
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public OptionalInt tokenToId(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public Optional<String> idToToken(int id) {
        return id >= 0 && id < pieces.length ? Optional.of(pieces[id]) : Optional.empty();
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public Map<String, Integer> vocab() {
        return ids;
    }
}
