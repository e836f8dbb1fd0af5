package dev.spotlight.tokenizers.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads goldens/models/models.jsonl, the answers of the Rust library (made by
 * spotlight-tokenizers/goldens/models/models.mjs) for tokenizer.json files that hold only a model
 * and, for decoder lines, a decoder.
 */
public final class ModelGoldens {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelGoldens() {
    }

    /** All lines of one kind ("model" or "decoder"), each as its JSON object. */
    public static List<JsonNode> lines(String kind) {
        InputStream in = ModelGoldens.class.getResourceAsStream("/goldens/models/models.jsonl");
        if (in == null) {
            throw new IllegalStateException("goldens/models/models.jsonl is not on the test class path");
        }
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode node = JSON.readTree(line);
                if (node.get("kind").asText().equals(kind)) {
                    lines.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lines.isEmpty()) {
            throw new IllegalStateException("no \"" + kind + "\" line in goldens/models/models.jsonl");
        }
        return lines;
    }
}
