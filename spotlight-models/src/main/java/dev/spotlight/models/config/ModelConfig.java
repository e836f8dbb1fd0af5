package dev.spotlight.models.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.ModelFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a Hugging Face {@code config.json} that shape an encoder. Keys and defaults are
 * those of transformers' {@code BertConfig} (a missing {@code hidden_act} is "gelu", a missing
 * {@code layer_norm_eps} 1e-12, …); DistilBERT's own key names ({@code dim}, {@code n_layers},
 * {@code n_heads}, {@code hidden_dim}, {@code activation}) are read too. The size fields that
 * decide the weight shapes ({@code model_type}, {@code hidden_size}, {@code num_hidden_layers},
 * {@code num_attention_heads}, {@code vocab_size}) have no default: a config without them is
 * rejected rather than silently given BERT-base's sizes.
 *
 * @param architectures e.g. ["BertModel"]; empty when the file has none
 * @param id2label      class index -> label for classification heads; empty when none
 */
public record ModelConfig(String modelType, int vocabSize, int hiddenSize, int numHiddenLayers,
                          int numAttentionHeads, int intermediateSize, String hiddenAct, double layerNormEps,
                          int maxPositionEmbeddings, int typeVocabSize, int padTokenId,
                          String positionEmbeddingType, List<String> architectures, Map<Integer, String> id2label)
        implements ArchitectureConfig {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** Most layers a config.json may claim; far above any published model (under 200), low enough that per-layer lists stay small. */
    public static final int MAX_LAYERS = 4096;

    public ModelConfig {
        architectures = List.copyOf(architectures);
        id2label = Map.copyOf(id2label);
        String where = "config";
        positive(where, "vocab_size", vocabSize);
        positive(where, "hidden_size", hiddenSize);
        positive(where, "num_hidden_layers", numHiddenLayers);
        if (numHiddenLayers > MAX_LAYERS) {
            throw new ModelFormatException(where + ": num_hidden_layers is " + numHiddenLayers + ", expected at most " + MAX_LAYERS);
        }
        positive(where, "num_attention_heads", numAttentionHeads);
        positive(where, "intermediate_size", intermediateSize);
        positive(where, "max_position_embeddings", maxPositionEmbeddings);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new ModelFormatException(where + ": hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numAttentionHeads);
        }
        if (typeVocabSize < 0 || !(layerNormEps > 0)) {
            throw new ModelFormatException(where + ": type_vocab_size " + typeVocabSize + " / layer_norm_eps " + layerNormEps
                    + " invalid, expected >= 0 / > 0");
        }
    }

    /** hidden_size / num_attention_heads. */
    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** A BERT config with transformers' defaults for everything but the sizes. */
    public static ModelConfig bert(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                                   int intermediateSize, int maxPositionEmbeddings, int typeVocabSize) {
        return new ModelConfig("bert", vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                "gelu", 1e-12, maxPositionEmbeddings, typeVocabSize, 0, "absolute", List.of("BertModel"), Map.of());
    }

    public ModelConfig withLayerNormEps(double eps) {
        return new ModelConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, eps, maxPositionEmbeddings, typeVocabSize, padTokenId, positionEmbeddingType, architectures, id2label);
    }

    public ModelConfig withHiddenAct(String act) {
        return new ModelConfig(modelType, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                act, layerNormEps, maxPositionEmbeddings, typeVocabSize, padTokenId, positionEmbeddingType, architectures, id2label);
    }

    public static ModelConfig read(Path configJson) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(configJson);
        } catch (IOException e) {
            throw new ModelFormatException(configJson + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, configJson.toString());
    }

    public static ModelConfig parse(byte[] json, String source) {
        JsonNode root = JsonObject.parse(json, source);
        ConfigFields f = new ConfigFields(root, source);
        try {
            return new ModelConfig(
                    f.string("model_type", null),
                    f.integer("vocab_size", null),
                    f.integer(f.has("dim") ? "dim" : "hidden_size", null),
                    f.integer(f.has("n_layers") ? "n_layers" : "num_hidden_layers", null),
                    f.integer(f.has("n_heads") ? "n_heads" : "num_attention_heads", null),
                    f.integer(f.has("hidden_dim") ? "hidden_dim" : "intermediate_size", 3072),
                    f.string(f.has("activation") ? "activation" : "hidden_act", "gelu"),
                    f.number("layer_norm_eps", 1e-12),
                    f.integer("max_position_embeddings", 512),
                    f.integer("type_vocab_size", f.string("model_type", null).equals("distilbert") ? 0 : 2),
                    f.integer("pad_token_id", 0),
                    f.string("position_embedding_type", "absolute"),
                    f.strings("architectures"),
                    f.labels("id2label"));
        } catch (ModelFormatException e) {
            if (e.getMessage().startsWith("config:")) {
                throw new ModelFormatException(source + e.getMessage().substring("config".length()), e);
            }
            throw e;
        }
    }

    /** config.json as transformers writes it: snake_case keys, sorted, two-space indent. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (!architectures.isEmpty()) {
            architectures.forEach(root.putArray("architectures")::add);
        }
        root.put("hidden_act", hiddenAct);
        root.put("hidden_size", hiddenSize);
        if (!id2label.isEmpty()) {
            ObjectNode labels = root.putObject("id2label");
            new TreeMap<>(id2label).forEach((k, v) -> labels.put(k.toString(), v));
        }
        root.put("intermediate_size", intermediateSize);
        root.put("layer_norm_eps", layerNormEps);
        root.put("max_position_embeddings", maxPositionEmbeddings);
        root.put("model_type", modelType);
        root.put("num_attention_heads", numAttentionHeads);
        root.put("num_hidden_layers", numHiddenLayers);
        root.put("pad_token_id", padTokenId);
        root.put("position_embedding_type", positionEmbeddingType);
        root.put("type_vocab_size", typeVocabSize);
        root.put("vocab_size", vocabSize);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void positive(String where, String field, int value) {
        if (value <= 0) {
            throw new ModelFormatException(where + ": " + field + " is " + value + ", expected a positive integer");
        }
    }
}
