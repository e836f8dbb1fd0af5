package dev.spotlight.models.generation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.ModelFormatException;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of generation keys from one JSON file. A null value counts as absent, as in
 * transformers where {@code "key": null} leaves the attribute unset; every wrong type names the
 * file, the key, the value and what was expected.
 */
record GenerationJson(JsonNode root, String source) {
    static GenerationJson parse(byte[] json, String source) {
        return new GenerationJson(dev.spotlight.models.config.JsonObject.parse(json, source), source);
    }

    boolean has(String key) {
        return root.hasNonNull(key);
    }

    /** Present in the file, null included (transformers distinguishes "top_k": null from a missing top_k). */
    boolean mentions(String key) {
        return root.has(key);
    }

    Integer integer(String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrong(key, v, "an integer");
        }
        return v.intValue();
    }

    Double number(String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrong(key, v, "a number");
        }
        return v.doubleValue();
    }

    Boolean bool(String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw wrong(key, v, "true or false");
        }
        return v.booleanValue();
    }

    /** A token id: a non-negative integer, or null when absent. */
    Integer tokenId(String key) {
        Integer id = integer(key);
        if (id != null && id < 0) {
            throw wrong(key, root.get(key), "a token id >= 0");
        }
        return id;
    }

    /** transformers' "int or list of ints" for eos_token_id; null when absent. */
    List<Integer> tokenIds(String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            return List.of(tokenId(key));
        }
        List<Integer> ids = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isIntegralNumber() || !item.canConvertToInt() || item.intValue() < 0) {
                throw wrong(key, v, "a token id >= 0 or a list of them");
            }
            ids.add(item.intValue());
        }
        return ids;
    }

    /** transformers' "str or list of str" for stop_strings; null when absent. */
    List<String> strings(String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v.isArray() ? v : List.of(v)) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw wrong(key, v, "a non-empty string or a list of them");
            }
            out.add(item.asText());
        }
        return out;
    }

    ModelFormatException wrong(String key, JsonNode value, String expected) {
        return new ModelFormatException(source + ": " + key + " is " + value + ", expected " + expected);
    }

    ModelFormatException refused(String key, String what) {
        return new ModelFormatException(source + ": " + key + " is " + root.get(key) + ", which asks for " + what
                + "; Spotlight generates greedily or by sampling only (remove the key or set it to its default)");
    }
}
