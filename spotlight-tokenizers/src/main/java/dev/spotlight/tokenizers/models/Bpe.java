package dev.spotlight.tokenizers.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.TokenizerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding as the Rust library runs it: the word's characters (each with the
 * continuing-subword prefix / end-of-word suffix where configured, unknown ones as byte-fallback
 * tokens or a — possibly fused — unknown token), then merges applied lowest rank first, ties to the
 * leftmost, through a priority queue over a linked list of symbols.
 */
public final class Bpe extends VocabularyModel {
    /** Rust's default cache capacity: words seen more often than not are looked up, not merged again. */
    private static final int CACHE_CAPACITY = 10_000;
    /** Longer words are not cached (Rust's limit too): 10,000 of them could otherwise hold gigabytes. */
    private static final int CACHE_MAX_WORD_LENGTH = 256;

    private final MergeTable merges;
    private final String unkToken;          // nullable
    private final String prefix;            // nullable continuing_subword_prefix
    private final String suffix;            // nullable end_of_word_suffix
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final int[] byteTokens;         // [256] id of "<0xNN>", -1 when absent
    private final ConcurrentHashMap<String, List<Token>> cache = new ConcurrentHashMap<>();

    private Bpe(Vocabulary vocab, MergeTable merges, String unkToken, String prefix, String suffix, boolean fuseUnk,
                boolean byteFallback, boolean ignoreMerges) {
        super(vocab);
        this.merges = merges;
        this.unkToken = unkToken;
        this.prefix = prefix;
        this.suffix = suffix;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.byteTokens = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.id(String.format("<0x%02X>", b));
            byteTokens[b] = id == null ? -1 : id;
        }
    }

    static Bpe fromJson(JsonView block) {
        if (block.has("dropout")) {
            double dropout = block.get("dropout").asDouble();
            if (dropout != 0) {
                throw block.error("dropout", "BPE dropout " + dropout + " makes tokenization random; only null or 0 is supported");
            }
        }
        Vocabulary vocab = Vocabulary.fromJson(block.get("vocab"));
        String prefix = Vocabulary.affix(block, "continuing_subword_prefix", null);
        String suffix = Vocabulary.affix(block, "end_of_word_suffix", null);
        JsonView list = block.has("merges") ? block.get("merges") : null;
        if (list != null && !list.node().isArray()) {
            throw list.mismatch("an array");
        }
        int count = list == null ? 0 : list.node().size();
        MergeTable merges = new MergeTable(count);
        int prefixLength = prefix == null ? 0 : prefix.length();
        for (int rank = 0; rank < count; rank++) {
            // raw nodes on the hot path: a path string per merge would dominate loading 280k of them
            JsonNode node = list.node().get(rank);
            String left;
            String right;
            if (node.isTextual()) {
                String line = node.textValue();
                int space = line.indexOf(' ');
                if (space < 0 || line.indexOf(' ', space + 1) >= 0) {
                    throw element(list, rank).error("a merge must be two tokens separated by one space, found \"" + line + "\"");
                }
                left = line.substring(0, space);
                right = line.substring(space + 1);
            } else {
                JsonView entry = element(list, rank);
                List<JsonView> pair = entry.elements();
                if (pair.size() != 2) {
                    throw entry.mismatch("a pair [\"left\", \"right\"]");
                }
                left = pair.get(0).asString();
                right = pair.get(1).asString();
            }
            Integer leftId = vocab.id(left);
            Integer rightId = vocab.id(right);
            String mergedToken = left + (right.length() >= prefixLength ? right.substring(prefixLength) : right);
            Integer mergedId = vocab.id(mergedToken);
            if (leftId == null || rightId == null || mergedId == null) {
                String missing = leftId == null ? left : rightId == null ? right : mergedToken;
                throw element(list, rank).error("merge uses \"" + missing + "\", which is not in the vocabulary");
            }
            merges.put(leftId, rightId, rank, mergedId);
        }
        String unk = block.optional("unk_token").map(JsonView::asString).orElse(null);
        return new Bpe(vocab, merges, unk, prefix, suffix, block.bool("fuse_unk", false), block.bool("byte_fallback", false),
                block.bool("ignore_merges", false));
    }

    private static JsonView element(JsonView array, int index) {
        return new JsonView(array.node().get(index), array.source(), array.path() + "[" + index + "]");
    }

    @Override
    public java.util.Optional<String> continuingSubwordPrefix() {
        return java.util.Optional.ofNullable(prefix);
    }

    @Override
    public List<Token> tokenize(String word) {
        if (word.isEmpty()) {
            return List.of();
        }
        List<Token> cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        List<Token> tokens = encode(word);
        if (word.length() < CACHE_MAX_WORD_LENGTH && cache.size() < CACHE_CAPACITY) {
            cache.put(word, tokens);
        }
        return tokens;
    }

    private List<Token> encode(String word) {
        if (ignoreMerges) {
            Integer id = vocab.id(word);
            if (id != null) {
                return List.of(new Token(id, word, 0, word.length()));
            }
        }
        Symbols symbols = initialSymbols(word);
        symbols.mergeAll(merges);
        if (symbols.offsetsFromByteSums) {
            symbols.shiftPastDroppedCharacters(word);
        }
        List<Token> out = new ArrayList<>(symbols.size);
        for (int i = 0; i < symbols.size; i++) {
            if (symbols.removed[i]) {
                continue;
            }
            out.add(new Token(symbols.id[i], vocab.token(symbols.id[i]), symbols.start[i], symbols.end[i]));
        }
        return List.copyOf(out);
    }

    /** One symbol per character (or per byte, with byte fallback), unknown characters as the unk token. */
    private Symbols initialSymbols(String word) {
        Symbols symbols = new Symbols(word.length() * 4);
        int unkId = -1;
        int unkStart = -1;
        int unkEnd = -1;
        int unkBytes = 0;   // Rust's length of the (fused) unknown token: its characters only, not bytes that overtook it
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int end = i + Character.charCount(cp);
            String piece = word.substring(i, end);
            if (prefix != null && i > 0) {
                piece = prefix + piece;
            }
            if (suffix != null && end == word.length()) {
                piece = piece + suffix;
            }
            Integer id = vocab.id(piece);
            if (id != null) {
                if (unkId >= 0) {
                    symbols.add(unkId, unkStart, unkEnd, unkBytes);
                    unkId = -1;
                }
                symbols.add(id, i, end, utf8Length(word, i, end));
            } else if (byteFallback && addBytes(symbols, piece, i, end)) {
                // Rust leaves a pending unknown token pending (it may still fuse): it lands after
                // these bytes, and the offsets, running sums of lengths, follow that order
                symbols.offsetsFromByteSums |= unkId >= 0;
            } else {
                if (unkToken != null) {
                    Integer unk = vocab.id(unkToken);
                    if (unk == null) {
                        throw new TokenizerException("BPE: unk_token \"" + unkToken + "\" is not in the vocabulary");
                    }
                    if (unkId >= 0 && fuseUnk) {
                        unkEnd = end;
                        unkBytes += utf8Length(word, i, end);
                    } else {
                        if (unkId >= 0) {
                            symbols.add(unkId, unkStart, unkEnd, unkBytes);
                        }
                        unkId = unk;
                        unkStart = i;
                        unkEnd = end;
                        unkBytes = utf8Length(word, i, end);
                    }
                }
                // without an unk_token Rust drops the character silently, and with it its length
                // from the offsets of every later token (they are running sums of kept lengths)
                symbols.offsetsFromByteSums |= unkToken == null;
            }
            i = end;
        }
        if (unkId >= 0) {
            symbols.add(unkId, unkStart, unkEnd, unkBytes);
        }
        return symbols;
    }

    /**
     * Byte-fallback tokens for every UTF-8 byte of {@code piece}, each spanning the whole character
     * (Rust's byte offsets inside one character map back to that character). False, adding nothing,
     * when some byte has no {@code <0xNN>} token.
     */
    private boolean addBytes(Symbols symbols, String piece, int start, int end) {
        byte[] bytes = piece.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (byteTokens[b & 0xFF] < 0) {
                return false;
            }
        }
        for (byte b : bytes) {
            symbols.add(byteTokens[b & 0xFF], start, end, 1);
        }
        return true;
    }

    private static int utf8Length(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;   // a surrogate pair counts 4
        }
        return n;
    }

    /** The word as a doubly linked list of symbols in parallel arrays, merged in place. */
    private static final class Symbols {
        int[] id;
        int[] start;
        int[] end;
        int[] bytes;        // UTF-8 length Rust gives the symbol (1 for a byte-fallback token)
        boolean offsetsFromByteSums;   // a character was dropped, or bytes overtook a pending unk token
        int[] prev;
        int[] next;
        boolean[] removed;
        int size;

        Symbols(int capacity) {
            id = new int[capacity];
            start = new int[capacity];
            end = new int[capacity];
            bytes = new int[capacity];
            prev = new int[capacity];
            next = new int[capacity];
            removed = new boolean[capacity];
        }

        void add(int tokenId, int s, int e, int byteLength) {
            if (size == id.length) {
                int grown = size * 2 + 4;
                id = java.util.Arrays.copyOf(id, grown);
                start = java.util.Arrays.copyOf(start, grown);
                end = java.util.Arrays.copyOf(end, grown);
                bytes = java.util.Arrays.copyOf(bytes, grown);
                prev = java.util.Arrays.copyOf(prev, grown);
                next = java.util.Arrays.copyOf(next, grown);
                removed = java.util.Arrays.copyOf(removed, grown);
            }
            id[size] = tokenId;
            start[size] = s;
            end[size] = e;
            bytes[size] = byteLength;
            prev[size] = size - 1;
            next[size] = size + 1;
            size++;
        }

        /**
         * Rust's offsets are running sums of the kept symbols' byte lengths, mapped to the characters
         * holding those bytes; once a character was dropped, or tokens were reordered, they drift from
         * the text, and so must ours.
         */
        void shiftPastDroppedCharacters(String word) {
            int[] charStart = new int[utf8Length(word, 0, word.length())];   // [byte] UTF-16 start of its character
            int[] charEnd = new int[charStart.length];                       // [byte] UTF-16 end of its character
            int b = 0;
            for (int i = 0; i < word.length(); ) {
                int next = i + Character.charCount(word.codePointAt(i));
                for (int n = utf8Length(word, i, next); n > 0; n--, b++) {
                    charStart[b] = i;
                    charEnd[b] = next;
                }
                i = next;
            }
            int pos = 0;
            int last = charStart.length - 1;   // prefix/suffix bytes of byte-fallback tokens run past the word
            for (int i = 0; i < size; i++) {
                if (!removed[i]) {
                    start[i] = charStart[Math.min(pos, last)];
                    pos += bytes[i];
                    end[i] = charEnd[Math.min(pos - 1, last)];
                }
            }
        }

        /** Rust's Word::merge_all: pop the lowest (rank, position), skip stale entries, merge, queue the new neighbours. */
        void mergeAll(MergeTable merges) {
            if (size < 2) {
                return;
            }
            next[size - 1] = -1;
            MergeQueue queue = new MergeQueue(size);
            for (int i = 0; i + 1 < size; i++) {
                long m = merges.get(id[i], id[i + 1]);
                if (m != MergeTable.ABSENT) {
                    queue.push((int) (m >>> 32), i, (int) m);
                }
            }
            while (!queue.isEmpty()) {
                int pos = queue.topPos();
                int newId = queue.topNewId();
                queue.pop();
                if (removed[pos] || next[pos] < 0) {
                    continue;
                }
                int right = next[pos];
                long current = merges.get(id[pos], id[right]);
                if (current == MergeTable.ABSENT || (int) current != newId) {
                    continue;
                }
                id[pos] = newId;
                end[pos] = end[right];
                bytes[pos] += bytes[right];
                next[pos] = next[right];
                removed[right] = true;
                if (next[right] >= 0) {
                    prev[next[right]] = pos;
                }
                if (prev[pos] >= 0) {
                    int p = prev[pos];
                    long m = merges.get(id[p], id[pos]);
                    if (m != MergeTable.ABSENT) {
                        queue.push((int) (m >>> 32), p, (int) m);
                    }
                }
                if (next[pos] >= 0) {
                    long m = merges.get(id[pos], id[next[pos]]);
                    if (m != MergeTable.ABSENT) {
                        queue.push((int) (m >>> 32), pos, (int) m);
                    }
                }
            }
        }
    }

    /** A binary min-heap of (rank, position, merged id), ordered by rank then position. */
    private static final class MergeQueue {
        private long[] order;   // rank << 32 | position
        private int[] newIds;
        private int size;

        MergeQueue(int capacity) {
            order = new long[Math.max(4, capacity)];
            newIds = new int[order.length];
        }

        boolean isEmpty() {
            return size == 0;
        }

        int topPos() {
            return (int) order[0];
        }

        int topNewId() {
            return newIds[0];
        }

        void push(int rank, int pos, int newId) {
            if (size == order.length) {
                order = java.util.Arrays.copyOf(order, size * 2);
                newIds = java.util.Arrays.copyOf(newIds, size * 2);
            }
            long key = ((long) rank << 32) | pos;
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (order[parent] <= key) {
                    break;
                }
                order[i] = order[parent];
                newIds[i] = newIds[parent];
                i = parent;
            }
            order[i] = key;
            newIds[i] = newId;
        }

        void pop() {
            size--;
            long key = order[size];
            int value = newIds[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && order[child + 1] < order[child]) {
                    child++;
                }
                if (order[child] >= key) {
                    break;
                }
                order[i] = order[child];
                newIds[i] = newIds[child];
                i = child;
            }
            order[i] = key;
            newIds[i] = value;
        }
    }
}
