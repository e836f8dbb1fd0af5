package dev.spotlight.tokenizers.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.tokenizers.JsonView;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A token ↔ id table read from a {@code vocab} object, shared by WordPiece, BPE and WordLevel. */
final class Vocabulary {
    private final Map<String, Integer> ids;
    private final String[] tokens;                // [maxId + 1], null where no token has that id; null when ids are sparse
    private final Map<Integer, String> sparseTokens;   // id -> token when ids are too sparse for an array

    Vocabulary(Map<String, Integer> ids) {
        this.ids = Collections.unmodifiableMap(ids);
        int max = -1;
        for (int id : ids.values()) {
            max = Math.max(max, id);
        }
        // Rust keys its reverse vocabulary by id in a hash map, so {"a": 2000000000} is a valid file;
        // an array indexed by id would then need gigabytes
        if (max < 2L * ids.size() + 1024) {
            tokens = new String[max + 1];
            ids.forEach((token, id) -> tokens[id] = token);
            sparseTokens = null;
        } else {
            tokens = null;
            sparseTokens = new HashMap<>();
            ids.forEach((token, id) -> sparseTokens.put(id, token));
        }
    }

    static Vocabulary fromJson(JsonView vocab) {
        if (!vocab.node().isObject()) {
            throw vocab.mismatch("an object");
        }
        Map<String, Integer> ids = new HashMap<>(vocab.node().size() * 2);
        // raw nodes on the hot path, a JsonView (with its path string) only for an error
        for (Map.Entry<String, JsonNode> e : vocab.node().properties()) {
            JsonNode value = e.getValue();
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
                JsonView field = vocab.fields().stream().filter(f -> f.getKey().equals(e.getKey())).findFirst().orElseThrow().getValue();
                int id = field.asInt();
                throw field.error("token ids must be >= 0, found " + id);
            }
            ids.put(e.getKey(), value.intValue());
        }
        return new Vocabulary(ids);
    }

    Integer id(String token) {
        return ids.get(token);
    }

    OptionalInt tokenToId(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    Optional<String> idToToken(int id) {
        if (tokens == null) {
            return Optional.ofNullable(sparseTokens.get(id));
        }
        return id >= 0 && id < tokens.length ? Optional.ofNullable(tokens[id]) : Optional.empty();
    }

    String token(int id) {
        return tokens != null ? tokens[id] : sparseTokens.get(id);
    }

    int size() {
        return ids.size();
    }

    /** The longest token's length in chars: a longer candidate can never be found. */
    int longestToken() {
        int longest = 0;
        for (String token : ids.keySet()) {
            longest = Math.max(longest, token.length());
        }
        return longest;
    }

    /**
     * A {@code continuing_subword_prefix} or {@code end_of_word_suffix}, which models add to every
     * character they look up (and BPE's byte fallback emits as bytes per character), so its length
     * multiplies a word's work and memory. Public tokenizers use at most 4 characters ("</w>");
     * the bound keeps every real file and refuses one that would make a short text take gigabytes.
     */
    static String affix(JsonView block, String key, String fallback) {
        Optional<JsonView> value = block.optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        String affix = value.get().asString();
        if (affix.length() > MAX_AFFIX_LENGTH) {
            throw value.get().error("a " + key + " of " + affix.length() + " characters, expected at most " + MAX_AFFIX_LENGTH);
        }
        return affix;
    }

    static final int MAX_AFFIX_LENGTH = 64;

    Map<String, Integer> map() {
        return ids;
    }
}
