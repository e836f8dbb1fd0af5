package dev.spotlight.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's JSON object with typed field access. Every wrong shape is a 400 whose one line names the
 * field, what it found and what it expected; the body is read only up to the size limit.
 */
public final class JsonBody {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    /** Reads and parses the body; 413 past {@code maxBytes}, 400 unless it is one JSON object. */
    public static JsonBody read(ServerRequest request, long maxBytes) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            throw ServerException.tooLarge("body is " + declared + " bytes, more than the limit of " + maxBytes);
        }
        byte[] bytes;
        try (InputStream in = request.content().inputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw ServerException.tooLarge("body is more than the limit of " + maxBytes + " bytes");
            }
        } catch (IOException e) {
            throw ServerException.badRequest("body could not be read: the connection failed");
        }
        return parse(bytes);
    }

    public static JsonBody parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw ServerException.badRequest("body is empty, expected a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String reason = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage().lines().findFirst().orElse("malformed");
            throw ServerException.badRequest("body is not valid JSON" + where + ": " + clip(reason, 160));
        } catch (IOException e) {
            throw ServerException.badRequest("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ServerException.badRequest("body must be a JSON object, found " + kind(root));
        }
        return new JsonBody(root);
    }

    public boolean has(String field) {
        return root.hasNonNull(field);
    }

    /** A string or an array of strings, as OpenAI's {@code input} and TEI's {@code inputs}; never empty. */
    public List<String> texts(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw ServerException.badRequest("`" + field + "` is missing, expected a string or an array of strings");
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw ServerException.badRequest("`" + field + "` must be a string or an array of strings, found " + kind(node));
        }
        if (node.isEmpty()) {
            throw ServerException.badRequest("`" + field + "` is an empty array, expected at least one string");
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                String hint = item.isIntegralNumber() || item.isArray() ? " (token id inputs are not supported: send text)" : "";
                throw ServerException.badRequest("`" + field + "[" + i + "]` must be a string, found " + kind(item) + hint);
            }
            out.add(item.asText());
        }
        return out;
    }

    /** An optional array of strings, null when absent. */
    public List<String> optionalTexts(String field) {
        return has(field) ? texts(field) : null;
    }

    public String string(String field, String fallback) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw ServerException.badRequest("`" + field + "` must be a string, found " + kind(node));
        }
        return node.asText();
    }

    public boolean bool(String field, boolean fallback) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ServerException.badRequest("`" + field + "` must be true or false, found " + kind(node));
        }
        return node.asBoolean();
    }

    /** An integer in [min, max], or {@code fallback} (may be null) when absent. */
    public Integer integer(String field, Integer fallback, long min, long max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
            throw ServerException.badRequest("`" + field + "` must be an integer in [" + min + ", " + max + "], found "
                    + clip(node.toString(), 40));
        }
        return (int) node.asLong();
    }

    public Long longValue(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ServerException.badRequest("`" + field + "` must be an integer, found " + clip(node.toString(), 40));
        }
        return node.asLong();
    }

    /** A finite number in [min, max], or null when absent. */
    public Double number(String field, double min, double max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < min || node.asDouble() > max) {
            throw ServerException.badRequest("`" + field + "` must be a number in [" + min + ", " + max + "], found "
                    + clip(node.toString(), 40));
        }
        return node.asDouble();
    }

    /** The raw node of a field with a shape of its own (OpenAI's {@code messages}, {@code stop}); may be null. */
    public JsonNode node(String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node;
    }

    static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number (" + clip(node.toString(), 24) + ")";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
