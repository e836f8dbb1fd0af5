package dev.spotlight.models.config;

import dev.spotlight.models.ModelFormatException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {
    /** sentence-transformers/all-MiniLM-L6-v2 config.json as published on the hub (trimmed of unused keys). */
    private static final String MINILM = """
            {
              "_name_or_path": "nreimers/MiniLM-L6-H384-uncased",
              "architectures": ["BertModel"],
              "attention_probs_dropout_prob": 0.1,
              "gradient_checkpointing": false,
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.1,
              "hidden_size": 384,
              "initializer_range": 0.02,
              "intermediate_size": 1536,
              "layer_norm_eps": 1e-12,
              "max_position_embeddings": 512,
              "model_type": "bert",
              "num_attention_heads": 12,
              "num_hidden_layers": 6,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "transformers_version": "4.8.2",
              "type_vocab_size": 2,
              "use_cache": true,
              "vocab_size": 30522
            }
            """;

    @Test
    void readsAHubBertConfig() {
        ModelConfig c = parse(MINILM);
        assertEquals(new ModelConfig("bert", 30522, 384, 6, 12, 1536, "gelu", 1e-12, 512, 2, 0, "absolute",
                List.of("BertModel"), Map.of()), c);
        assertEquals(32, c.headDim());
    }

    @Test
    void toJsonReadsBackEqual() {
        ModelConfig c = new ModelConfig("bert", 100, 64, 2, 4, 128, "gelu_new", 1e-7, 128, 1, 3, "absolute",
                List.of("BertForTokenClassification"), Map.of(0, "O", 1, "B-PER"));
        assertEquals(c, parse(c.toJson()));
    }

    @Test
    void missingKeysTakeBertConfigDefaultsExceptTheSizes() {
        ModelConfig c = parse("{\"model_type\":\"bert\",\"vocab_size\":10,\"hidden_size\":8,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2}");
        assertEquals(new ModelConfig("bert", 10, 8, 1, 2, 3072, "gelu", 1e-12, 512, 2, 0, "absolute", List.of(), Map.of()), c);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> parse("{\"model_type\":\"bert\",\"vocab_size\":10,\"num_hidden_layers\":1,\"num_attention_heads\":2}"));
        assertTrue(e.getMessage().contains("config.json: required key 'hidden_size' is missing"), e.getMessage());
    }

    @Test
    void distilBertKeyNamesAreRead() {
        ModelConfig c = parse("{\"model_type\":\"distilbert\",\"vocab_size\":30522,\"dim\":768,\"n_layers\":6,\"n_heads\":12,"
                + "\"hidden_dim\":3072,\"activation\":\"gelu\"}");
        assertEquals(768, c.hiddenSize());
        assertEquals(6, c.numHiddenLayers());
        assertEquals(3072, c.intermediateSize());
        assertEquals(0, c.typeVocabSize());
    }

    @Test
    void wrongTypesAndInconsistentSizesNameFileKeyAndValue() {
        String base = "{\"model_type\":\"bert\",\"vocab_size\":10,\"num_hidden_layers\":1,\"num_attention_heads\":5,";
        ModelFormatException type = assertThrows(ModelFormatException.class, () -> parse(base + "\"hidden_size\":\"384\"}"));
        assertTrue(type.getMessage().contains("config.json: hidden_size is \"384\", expected an integer"), type.getMessage());
        ModelFormatException heads = assertThrows(ModelFormatException.class, () -> parse(base + "\"hidden_size\":384}"));
        assertTrue(heads.getMessage().contains("config.json: hidden_size 384 is not a multiple of num_attention_heads 5"),
                heads.getMessage());
        ModelFormatException json = assertThrows(ModelFormatException.class, () -> parse("{\"model_type\": "));
        assertTrue(json.getMessage().startsWith("config.json: not well-formed JSON"), json.getMessage());
    }

    private static ModelConfig parse(String json) {
        return ModelConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config.json");
    }
}
