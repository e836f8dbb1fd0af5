package dev.spotlight.models.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.ModelFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a sentence embedding is made from the last hidden states, as sentence-transformers stores it
 * in a model folder: {@code modules.json} lists the modules, the Pooling module's
 * {@code config.json} sets {@code pooling_mode_cls_token} or {@code pooling_mode_mean_tokens}, and a
 * {@code Normalize} module means L2 normalisation. A folder without {@code modules.json} gets
 * sentence-transformers' own default for a plain transformers model: mean pooling, no normalisation.
 *
 * @param mode "mean" or "cls"
 */
public record Pooling(String mode, boolean normalize) {
    public static final String MEAN = "mean";
    public static final String CLS = "cls";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String POOLING_TYPE = "sentence_transformers.models.Pooling";
    private static final String NORMALIZE_TYPE = "sentence_transformers.models.Normalize";

    public Pooling {
        if (!mode.equals(MEAN) && !mode.equals(CLS)) {
            throw new ModelFormatException("pooling mode '" + mode + "' is not supported, expected mean or cls");
        }
    }

    /** Reads modules.json and the Pooling module's config from {@code folder}. */
    public static Pooling read(Path folder) {
        Path modules = folder.resolve("modules.json");
        if (!Files.isRegularFile(modules)) {
            return new Pooling(MEAN, false);
        }
        JsonNode list = json(modules);
        if (!list.isArray()) {
            throw new ModelFormatException(modules + ": expected an array of modules, found " + list.getNodeType());
        }
        String mode = MEAN;
        boolean normalize = false;
        for (JsonNode module : list) {
            String type = module.path("type").asText("");
            if (type.equals(NORMALIZE_TYPE)) {
                normalize = true;
            } else if (type.equals(POOLING_TYPE)) {
                mode = poolingMode(folder, module.path("path").asText(""));
            }
        }
        return new Pooling(mode, normalize);
    }

    /** Writes the three sentence-transformers files that {@link #read} understands. */
    public void write(Path folder, int hiddenSize) {
        ArrayNode modules = JSON.createArrayNode();
        modules.addObject().put("idx", 0).put("name", "0").put("path", "").put("type", "sentence_transformers.models.Transformer");
        modules.addObject().put("idx", 1).put("name", "1").put("path", "1_Pooling").put("type", POOLING_TYPE);
        if (normalize) {
            modules.addObject().put("idx", 2).put("name", "2").put("path", "2_Normalize").put("type", NORMALIZE_TYPE);
        }
        ObjectNode pooling = JSON.createObjectNode()
                .put("word_embedding_dimension", hiddenSize)
                .put("pooling_mode_cls_token", mode.equals(CLS))
                .put("pooling_mode_mean_tokens", mode.equals(MEAN))
                .put("pooling_mode_max_tokens", false)
                .put("pooling_mode_mean_sqrt_len_tokens", false);
        try {
            Files.createDirectories(folder.resolve("1_Pooling"));
            Files.writeString(folder.resolve("modules.json"), JSON.writeValueAsString(modules) + "\n");
            Files.writeString(folder.resolve("1_Pooling/config.json"), JSON.writeValueAsString(pooling) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": " + e.getMessage(), e);
        }
    }

    /** The files {@link #write} creates, relative to the folder. */
    public static java.util.List<String> files() {
        return java.util.List.of("modules.json", "1_Pooling/config.json");
    }

    private static String poolingMode(Path folder, String path) {
        if (path.contains("..") || path.startsWith("/")) {
            throw new ModelFormatException(folder.resolve("modules.json") + ": Pooling path '" + path
                    + "' leaves the model folder");
        }
        Path config = folder.resolve(path).resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new ModelFormatException(config + ": missing, but modules.json lists a Pooling module at '" + path + "'");
        }
        JsonNode c = json(config);
        // a list, not Map.of, whose order changes from one JVM to the next: an error names the modes in this order
        java.util.List<Map.Entry<String, String>> modes = java.util.List.of(Map.entry("pooling_mode_cls_token", CLS),
                Map.entry("pooling_mode_mean_tokens", MEAN), Map.entry("pooling_mode_max_tokens", "max"),
                Map.entry("pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len"),
                Map.entry("pooling_mode_weightedmean_tokens", "weightedmean"), Map.entry("pooling_mode_lasttoken", "lasttoken"));
        String found = null;
        for (Map.Entry<String, String> m : modes) {
            if (c.path(m.getKey()).asBoolean(false)) {
                if (found != null) {
                    throw new ModelFormatException(config + ": several pooling modes are on (" + found + ", " + m.getValue()
                            + "), expected exactly one of cls or mean");
                }
                found = m.getValue();
            }
        }
        if (found == null) {
            throw new ModelFormatException(config + ": no pooling_mode_* is true, expected pooling_mode_cls_token or pooling_mode_mean_tokens");
        }
        if (!found.equals(CLS) && !found.equals(MEAN)) {
            throw new ModelFormatException(config + ": pooling mode " + found + " is not supported, expected cls or mean");
        }
        return found;
    }

    private static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not well-formed JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
