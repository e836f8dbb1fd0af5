package dev.spotlight.models.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.models.ModelFormatException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Sizes in config.json that would drive an allocation before the weights are read are bounded (found by fuzzing). */
class ConfigBoundsTest {

    private static String error(String json) {
        return assertThrows(ModelFormatException.class,
                () -> ArchitectureConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config.json")).getMessage();
    }

    @Test
    void aLayerCountNoModelHasIsRefusedBeforePerLayerListsAreBuilt() {
        assertEquals("config.json: num_hidden_layers is 2147483647, expected at most 4096", error("""
                {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 2147483647,
                 "vocab_size": 32, "intermediate_size": 128}"""));
        assertEquals("config.json: n_layer is 1000000000, expected at most 4096", error("""
                {"model_type": "gpt2", "n_embd": 64, "n_head": 4, "n_layer": 1000000000, "vocab_size": 32}"""));
        assertEquals("config.json: num_hidden_layers is 2147483647, expected at most 4096", error("""
                {"model_type": "bert", "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 2147483647,
                 "vocab_size": 32}"""));
    }

    /**
     * heads × head_dim is an int width: 8 × (2^30 + 8) wraps to 64 and 4 × (2^30 + 8) to 32, exactly
     * stories260K's q and k widths, so its weights passed every shape check and RoPE then allocated a table
     * of 2^29 floats (OutOfMemoryError). The product is bounded before anything is built from it.
     */
    @Test
    void aHeadDimWhoseWidthWouldWrapIsRefused() {
        assertEquals("config.json: num_attention_heads 8 × head_dim 1073741832 is 8589934656, expected at most 1048576", error("""
                {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 8, "num_key_value_heads": 4,
                 "head_dim": 1073741832, "num_hidden_layers": 5, "vocab_size": 512, "intermediate_size": 172}"""));
    }
}
