package dev.spotlight.models.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model registry and decoder configs, on config.json files as published on the Hugging Face hub. */
class DecoderConfigTest {
    private static final String LLAMA_3_2_1B = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 128000, "eos_token_id": 128001, "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
             "initializer_range": 0.02, "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false,
             "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8,
             "pretraining_tp": 1, "rms_norm_eps": 1e-05,
             "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"},
             "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true,
             "vocab_size": 128256}
            """;
    private static final String SMOLLM2_135M = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 0, "eos_token_id": 0,
             "hidden_act": "silu", "hidden_size": 576, "intermediate_size": 1536, "max_position_embeddings": 8192,
             "model_type": "llama", "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3,
             "rms_norm_eps": 1e-05, "rope_scaling": null, "rope_theta": 100000, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "vocab_size": 49152}
            """;
    private static final String QWEN2_5_0_5B = """
            {"architectures": ["Qwen2ForCausalLM"], "bos_token_id": 151643, "eos_token_id": 151643, "hidden_act": "silu",
             "hidden_size": 896, "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24,
             "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
             "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "use_sliding_window": false, "vocab_size": 151936}
            """;
    private static final String QWEN3_0_6B = """
            {"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "bos_token_id": 151643, "eos_token_id": 151645,
             "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024, "intermediate_size": 3072,
             "max_position_embeddings": 40960, "max_window_layers": 28, "model_type": "qwen3", "num_attention_heads": 16,
             "num_hidden_layers": 28, "num_key_value_heads": 8, "rms_norm_eps": 1e-06, "rope_scaling": null,
             "rope_theta": 1000000, "sliding_window": null, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
             "use_sliding_window": false, "vocab_size": 151936}
            """;
    private static final String MISTRAL_7B_V0_1 = """
            {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 4096, "intermediate_size": 14336, "max_position_embeddings": 32768, "model_type": "mistral",
             "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
             "rope_theta": 10000.0, "sliding_window": 4096, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
             "vocab_size": 32000}
            """;
    private static final String GPT2 = """
            {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "bos_token_id": 50256,
             "eos_token_id": 50256, "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768,
             "n_head": 12, "n_inner": null, "n_layer": 12, "n_positions": 1024, "vocab_size": 50257}
            """;

    private static DecoderConfig decoder(String json) {
        return assertInstanceOf(DecoderConfig.class, ArchitectureConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config.json"));
    }

    private static String error(String json) {
        return assertThrows(ModelFormatException.class,
                () -> ArchitectureConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config.json")).getMessage();
    }

    @Test
    void llama32ReadsGroupedQueryHeadsAndLlama3RopeScaling() {
        DecoderConfig c = decoder(LLAMA_3_2_1B);
        assertEquals(DecoderConfig.Family.LLAMA, c.family());
        assertEquals(List.of(16, 2048, 32, 8, 64, 8192), List.of(c.numLayers(), c.hiddenSize(), c.numHeads(), c.numKvHeads(),
                c.headDim(), c.intermediateSize()));
        assertEquals(new RopeScaling("llama3", 32, 1, 4, 8192), c.ropeScaling());
        assertEquals(500000.0, c.ropeTheta());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(List.of(128001), c.eosTokenIds());
        assertEquals(128000, c.bosTokenId());
        assertEquals(Collections.nCopies(16, 0), c.slidingWindows());
        assertFalse(c.qkvBias() || c.outputBias() || c.mlpBias() || c.qkNorm());
        assertEquals((float) (1 / Math.sqrt(64)), c.attentionScale().getFirst());
    }

    @Test
    void smolLmHasNoScalingAndDerivesTheHeadSize() {
        DecoderConfig c = decoder(SMOLLM2_135M);
        assertEquals(64, c.headDim());
        assertNull(c.ropeScaling());
        assertEquals(100000.0, c.ropeTheta());
    }

    @Test
    void qwen2HasQkvBiasesAndNoWindowUnlessAskedFor() {
        DecoderConfig c = decoder(QWEN2_5_0_5B);
        assertTrue(c.qkvBias());
        assertFalse(c.outputBias());
        assertEquals(Collections.nCopies(24, 0), c.slidingWindows());
        DecoderConfig windowed = decoder(QWEN2_5_0_5B.replace("\"use_sliding_window\": false", "\"use_sliding_window\": true")
                .replace("\"max_window_layers\": 24", "\"max_window_layers\": 20"));
        assertEquals(0, windowed.slidingWindows().get(19));
        assertEquals(32768, windowed.slidingWindows().get(20));
    }

    @Test
    void qwen3NormsQueriesAndKeysPerHead() {
        DecoderConfig c = decoder(QWEN3_0_6B);
        assertTrue(c.qkNorm());
        assertEquals(128, c.headDim());
        assertEquals(16 * 128, c.qDim());
        assertFalse(c.qkvBias());
    }

    @Test
    void mistralWindowsEveryLayer() {
        DecoderConfig c = decoder(MISTRAL_7B_V0_1);
        assertEquals(Collections.nCopies(32, 4096), c.slidingWindows());
        assertFalse(c.tieWordEmbeddings());
    }

    @Test
    void gpt2ReadsItsOwnKeyNamesAndDefaults() {
        DecoderConfig c = decoder(GPT2);
        assertEquals(DecoderConfig.Family.GPT2, c.family());
        assertEquals(List.of(12, 768, 12, 12, 64, 3072, 1024), List.of(c.numLayers(), c.hiddenSize(), c.numHeads(),
                c.numKvHeads(), c.headDim(), c.intermediateSize(), c.maxPositions()));
        assertTrue(c.tieWordEmbeddings());
        assertTrue(c.qkvBias() && c.outputBias() && c.mlpBias());
        DecoderConfig byLayer = decoder(GPT2.replace("\"n_layer\": 12", "\"n_layer\": 2, \"scale_attn_by_inverse_layer_idx\": true"));
        assertEquals((float) (1 / Math.sqrt(64) / 2), byLayer.attentionScale().get(1));
    }

    @Test
    void encodersStillParseAsEncoderConfigs() {
        ArchitectureConfig c = ArchitectureConfig.parse("""
                {"model_type": "bert", "vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
                 "num_attention_heads": 12, "intermediate_size": 1536}""".getBytes(StandardCharsets.UTF_8), "config.json");
        assertEquals(ArchitectureConfig.Kind.ENCODER, c.kind());
    }

    @Test
    void whatCannotBeRunFaithfullyIsRefusedNamingTheFileAndKey() {
        assertEquals("config.json: rope_scaling: type \"yarn\" is not supported, expected default, linear or llama3 (dynamic,"
                + " yarn and longrope change with the sequence length and are not implemented)",
                error(LLAMA_3_2_1B.replace("\"llama3\"", "\"yarn\"")));
        assertEquals("config.json: rope_scaling: required key 'factor' is missing",
                error(LLAMA_3_2_1B.replace("\"factor\": 32.0,", "")));
        assertEquals("config.json: required key 'hidden_size' is missing", error(SMOLLM2_135M.replace("\"hidden_size\": 576,", "")));
        assertEquals("config.json: num_key_value_heads 4 does not divide num_attention_heads 9",
                error(SMOLLM2_135M.replace("\"num_key_value_heads\": 3", "\"num_key_value_heads\": 4")));
        assertEquals("config.json: hidden_act \"gelu\" is not supported for llama, expected silu",
                error(SMOLLM2_135M.replace("\"silu\"", "\"gelu\"")));
        assertEquals("config.json: head_dim is 63, expected a positive even number (RoPE rotates pairs)",
                error(LLAMA_3_2_1B.replace("\"head_dim\": 64", "\"head_dim\": 63")));
        assertEquals("config.json: model_type \"mamba\" is not supported, expected one of bert, minilm, bge, e5, roberta,"
                + " xlm-roberta, camembert, distilbert (encoders) or llama, mistral, qwen2, qwen3, gpt2 (decoders)",
                error(SMOLLM2_135M.replace("\"llama\"", "\"mamba\"")));
        assertEquals("config.json: sliding_window is 0, expected a positive integer",
                error(MISTRAL_7B_V0_1.replace("\"sliding_window\": 4096", "\"sliding_window\": 0")));
        assertEquals("config.json: eos_token_id is \"x\", expected a token id or a list of token ids (integers >= 0)",
                error(MISTRAL_7B_V0_1.replace("\"eos_token_id\": 2", "\"eos_token_id\": \"x\"")));
        assertEquals("config.json: activation_function \"swish\" is not supported, expected gelu_new, gelu_pytorch_tanh,"
                + " gelu_fast, gelu or relu", error(GPT2.replace("\"gelu_new\"", "\"swish\"")));
    }
}
