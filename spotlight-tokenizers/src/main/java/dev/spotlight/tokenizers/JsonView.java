package dev.spotlight.tokenizers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON node that knows where it sits ({@code tokenizer.json: $.model.vocab}), so that every
 * error about a field names the file, the path, what was found and what was expected.
 * Components read their own block of tokenizer.json through it, keeping the JSON keys as names.
 */
public record JsonView(JsonNode node, String source, String path) {

    public static JsonView root(JsonNode node, String source) {
        return new JsonView(node, source, "$");
    }

    /** The child at {@code key}, which must be present (it may be JSON null). */
    public JsonView get(String key) {
        JsonNode child = object().get(key);
        if (child == null) {
            throw error(key, "is missing");
        }
        return new JsonView(child, source, path + "." + key);
    }

    /** The child at {@code key}, or empty when the key is absent or null. */
    public Optional<JsonView> optional(String key) {
        JsonNode child = object().get(key);
        return child == null || child.isNull() ? Optional.empty() : Optional.of(new JsonView(child, source, path + "." + key));
    }

    public boolean has(String key) {
        return node.isObject() && node.has(key) && !node.get(key).isNull();
    }

    public boolean isNull() {
        return node.isNull();
    }

    public String string(String key) {
        return get(key).asString();
    }

    public String string(String key, String fallback) {
        return optional(key).map(JsonView::asString).orElse(fallback);
    }

    public int integer(String key) {
        return get(key).asInt();
    }

    public int integer(String key, int fallback) {
        return optional(key).map(JsonView::asInt).orElse(fallback);
    }

    public boolean bool(String key) {
        return get(key).asBoolean();
    }

    public boolean bool(String key, boolean fallback) {
        return optional(key).map(JsonView::asBoolean).orElse(fallback);
    }

    public double number(String key) {
        return get(key).asDouble();
    }

    public String asString() {
        if (!node.isTextual()) {
            throw mismatch("a string");
        }
        return node.textValue();
    }

    public int asInt() {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw mismatch("an integer");
        }
        return node.intValue();
    }

    public long asLong() {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw mismatch("an integer");
        }
        return node.longValue();
    }

    public double asDouble() {
        if (!node.isNumber()) {
            throw mismatch("a number");
        }
        return node.doubleValue();
    }

    public boolean asBoolean() {
        if (!node.isBoolean()) {
            throw mismatch("true or false");
        }
        return node.booleanValue();
    }

    /** The elements of an array, each with its own path ({@code $.model.merges[3]}). */
    public List<JsonView> elements() {
        if (!node.isArray()) {
            throw mismatch("an array");
        }
        List<JsonView> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonView(node.get(i), source, path + "[" + i + "]"));
        }
        return out;
    }

    /** The fields of an object in file order, each with its own path. */
    public List<Map.Entry<String, JsonView>> fields() {
        List<Map.Entry<String, JsonView>> out = new ArrayList<>(object().size());
        object().properties().forEach(e -> out.add(Map.entry(e.getKey(),
                new JsonView(e.getValue(), source, path + "[" + quote(e.getKey()) + "]"))));
        return out;
    }

    /** An error about this node: "tokenizer.json: $.model.type: unknown model type "Foo"". */
    public TokenizerException error(String message) {
        return new TokenizerException(source + ": " + path + ": " + message);
    }

    /** An error about the field {@code key} of this object. */
    public TokenizerException error(String key, String message) {
        return new TokenizerException(source + ": " + path + "." + key + ": " + message);
    }

    /** An error for a value of the wrong kind: names what was expected and what was found. */
    public TokenizerException mismatch(String expected) {
        return error("expected " + expected + ", found " + describe(node));
    }

    private JsonNode object() {
        if (!node.isObject()) {
            throw mismatch("an object");
        }
        return node;
    }

    private static String describe(JsonNode n) {
        String text = n.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
