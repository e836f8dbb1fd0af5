package dev.spotlight.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.ModelFormatException;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code config.json}, and the model registry that parses it: {@code model_type} (or, when a
 * file lacks it, its {@code architectures} entry) chooses the architecture, and the architecture's own
 * config type reads the rest. Encoders are {@link ModelConfig}, decoder-only language models
 * {@link DecoderConfig}; a type Spotlight does not run is refused with the list of those it does.
 */
public sealed interface ArchitectureConfig permits ModelConfig, DecoderConfig {

    /** What a model of this architecture does with its tokens. */
    enum Kind { ENCODER, DECODER }

    String modelType();

    List<String> architectures();

    default Kind kind() {
        return this instanceof DecoderConfig ? Kind.DECODER : Kind.ENCODER;
    }

    /** Encoders: the BERT family. model_type values, as transformers writes them. */
    List<String> ENCODER_TYPES = List.of("bert", "minilm", "bge", "e5", "roberta", "xlm-roberta", "camembert", "distilbert");
    /** Decoders: the Llama family and GPT-2. */
    List<String> DECODER_TYPES = List.of("llama", "mistral", "qwen2", "qwen3", "gpt2");

    /** The model_type an architectures entry implies, for files written without model_type. */
    Map<String, String> ARCHITECTURE_TYPES = Map.ofEntries(
            Map.entry("LlamaForCausalLM", "llama"), Map.entry("MistralForCausalLM", "mistral"),
            Map.entry("Qwen2ForCausalLM", "qwen2"), Map.entry("Qwen3ForCausalLM", "qwen3"),
            Map.entry("GPT2LMHeadModel", "gpt2"), Map.entry("BertModel", "bert"), Map.entry("RobertaModel", "roberta"),
            Map.entry("XLMRobertaModel", "xlm-roberta"), Map.entry("DistilBertModel", "distilbert"));

    static ArchitectureConfig parse(byte[] json, String source) {
        JsonNode root = JsonObject.parse(json, source);
        ConfigFields f = new ConfigFields(root, source);
        String type = f.has("model_type") ? f.string("model_type", null) : null;
        if (type == null) {
            type = f.strings("architectures").stream().map(ARCHITECTURE_TYPES::get).filter(t -> t != null).findFirst()
                    .orElseThrow(() -> new ModelFormatException(source + ": required key 'model_type' is missing (and no"
                            + " known architectures entry names one)"));
        }
        if (DECODER_TYPES.contains(type)) {
            return DecoderConfig.parse(root, type, source);
        }
        if (ENCODER_TYPES.contains(type)) {
            return ModelConfig.parse(json, source);
        }
        throw new ModelFormatException(source + ": model_type \"" + type + "\" is not supported, expected one of "
                + String.join(", ", ENCODER_TYPES) + " (encoders) or " + String.join(", ", DECODER_TYPES) + " (decoders)");
    }
}
