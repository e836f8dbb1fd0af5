package dev.spotlight.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.ModelFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Typed access to config.json keys; each wrong type names the file, the key, the value and the type wanted. */
record ConfigFields(JsonNode root, String source) {

    boolean has(String key) {
        return root.hasNonNull(key);
    }

    String string(String key, String fallback) {
        JsonNode v = present(key, fallback);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw wrong(key, v, "a string");
        }
        return v.asText();
    }

    int integer(String key, Integer fallback) {
        JsonNode v = present(key, fallback);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrong(key, v, "an integer");
        }
        return v.asInt();
    }

    double number(String key, double fallback) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw wrong(key, v, "a number");
        }
        return v.asDouble();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrong(key, v, "true or false");
        }
        return v.asBoolean();
    }

    /** A token id that may be absent (-1), or a list of ids as some configs write eos_token_id. */
    List<Integer> tokenIds(String key) {
        JsonNode v = root.get(key);
        List<Integer> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            for (JsonNode item : v) {
                if (!item.isIntegralNumber() || !item.canConvertToInt() || item.asInt() < 0) {
                    throw wrong(key, v, "a token id or a list of token ids (integers >= 0)");
                }
                out.add(item.asInt());
            }
            return out;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw wrong(key, v, "a token id or a list of token ids (integers >= 0)");
        }
        out.add(v.asInt());
        return out;
    }

    JsonNode object(String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw wrong(key, v, "an object");
        }
        return v;
    }

    List<String> strings(String key) {
        JsonNode v = root.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw wrong(key, v, "an array of strings");
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw wrong(key, v, "an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    Map<Integer, String> labels(String key) {
        JsonNode v = root.get(key);
        Map<Integer, String> out = new HashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw wrong(key, v, "an object of index -> label");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            try {
                out.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            } catch (NumberFormatException ex) {
                throw wrong(key + "." + e.getKey(), e.getValue(), "an integer class index as key");
            }
        }
        return out;
    }

    private JsonNode present(String key, Object fallback) {
        JsonNode v = root.get(key);
        if ((v == null || v.isNull()) && fallback == null) {
            throw new ModelFormatException(source + ": required key '" + key + "' is missing");
        }
        return v == null || v.isNull() ? null : v;
    }

    ModelFormatException wrong(String key, JsonNode value, String expected) {
        return new ModelFormatException(source + ": " + key + " is " + value + ", expected " + expected);
    }
}
