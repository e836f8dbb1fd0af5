package dev.spotlight.models.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.ModelFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of config.json that describe a task head, read as transformers' {@code PretrainedConfig}
 * reads them: {@code id2label} (its keys become class indices; without it, {@code num_labels} or 2
 * labels named LABEL_0, LABEL_1 …), {@code label2id} (in the file's order, else id2label inverted),
 * {@code problem_type}, {@code tie_word_embeddings} (default true) and the activation a
 * sentence-transformers cross-encoder applies to its score.
 *
 * @param architectures       e.g. ["BertForTokenClassification"]; empty when the file has none
 * @param labels              label of each class index, 0 .. n-1
 * @param label2id            label -> class index, in the file's order (zero-shot looks for "entail…" in this order)
 * @param problemType         null, "regression", "single_label_classification" or "multi_label_classification"
 * @param crossEncoderActivation the activation's class name from {@code sentence_transformers.activation_fn} or
 *                            {@code sbert_ce_default_activation_function}; null when neither is given
 */
public record TaskConfig(List<String> architectures, List<String> labels, Map<String, Integer> label2id, String problemType,
                         boolean tieWordEmbeddings, String crossEncoderActivation) {

    public static final List<String> PROBLEM_TYPES = List.of("regression", "single_label_classification",
            "multi_label_classification");

    public TaskConfig {
        architectures = List.copyOf(architectures);
        labels = List.copyOf(labels);
        label2id = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(label2id));
    }

    public int numLabels() {
        return labels.size();
    }

    public static TaskConfig parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": not well-formed JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(source + ": expected a JSON object, found " + (root == null ? "nothing" : root.getNodeType()));
        }
        ConfigFields f = new ConfigFields(root, source);
        List<String> labels = labels(f, source);
        String problemType = f.has("problem_type") ? f.string("problem_type", null) : null;
        if (problemType != null && !PROBLEM_TYPES.contains(problemType)) {
            throw new ModelFormatException(source + ": problem_type \"" + problemType + "\" is not one of " + PROBLEM_TYPES);
        }
        JsonNode st = f.object("sentence_transformers");
        String activation = null;
        if (st != null && st.hasNonNull("activation_fn")) {
            activation = new ConfigFields(st, source + " sentence_transformers").string("activation_fn", null);
        } else if (f.has("sbert_ce_default_activation_function")) {
            activation = f.string("sbert_ce_default_activation_function", null);
        }
        return new TaskConfig(f.strings("architectures"), labels, label2id(f, labels, source), problemType,
                f.bool("tie_word_embeddings", true), activation);
    }

    private static List<String> labels(ConfigFields f, String source) {
        JsonNode id2label = f.object("id2label");
        if (id2label == null) {
            int n = f.has("num_labels") ? f.integer("num_labels", null) : 2;
            if (n < 1 || n > 1 << 20) {
                throw new ModelFormatException(source + ": num_labels is " + n + ", expected 1 or more");
            }
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add("LABEL_" + i);
            }
            return out;
        }
        Map<Integer, String> byId = f.labels("id2label");
        List<String> out = new ArrayList<>(byId.size());
        for (int i = 0; i < byId.size(); i++) {
            String label = byId.get(i);
            if (label == null) {
                throw new ModelFormatException(source + ": id2label has " + byId.size() + " entries but no class index " + i
                        + ", expected the indices 0.." + (byId.size() - 1));
            }
            out.add(label);
        }
        if (f.has("num_labels") && f.integer("num_labels", null) != out.size()) {
            throw new ModelFormatException(source + ": num_labels is " + f.integer("num_labels", null) + " but id2label has "
                    + out.size() + " labels");
        }
        return out;
    }

    private static Map<String, Integer> label2id(ConfigFields f, List<String> labels, String source) {
        Map<String, Integer> out = new LinkedHashMap<>();
        JsonNode node = f.object("label2id");
        if (node == null) {
            for (int i = 0; i < labels.size(); i++) {
                out.putIfAbsent(labels.get(i), i);
            }
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() >= labels.size()) {
                throw new ModelFormatException(source + ": label2id." + e.getKey() + " is " + v + ", expected a class index 0.."
                        + (labels.size() - 1));
            }
            out.put(e.getKey(), v.asInt());
        }
        return out;
    }
}
