package dev.spotlight.models.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.ModelFormatException;
import java.io.IOException;

/** The one way a model's JSON files (config.json, generation_config.json) are read: one object, duplicate keys refused. */
public final class JsonObject {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonObject() {
    }

    /** The file's top-level object; anything else is a one-line error naming {@code source}. */
    public static JsonNode parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": not well-formed JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(source + ": expected a JSON object, found " + (root == null ? "nothing" : root.getNodeType()));
        }
        return root;
    }
}
