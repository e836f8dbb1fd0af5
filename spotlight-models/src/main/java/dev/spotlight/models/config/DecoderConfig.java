package dev.spotlight.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.ModelFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a decoder-only language model's {@code config.json} that shape its forward pass,
 * normalised across the families Spotlight runs. Keys and defaults follow transformers'
 * {@code LlamaConfig}, {@code MistralConfig}, {@code Qwen2Config}, {@code Qwen3Config} and
 * {@code GPT2Config}; the sizes that decide weight shapes have no default. Values the engine cannot
 * reproduce (a rope_scaling type that depends on the sequence length, an activation other than the
 * family's) are refused with the file and key, never run as a different model.
 *
 * @param family          how the forward pass is built: the Llama block (RMSNorm, RoPE, gated MLP)
 *                        or GPT-2's (LayerNorm, learned positions, Conv1D)
 * @param numKvHeads      grouped-query attention: query head h reads kv head h / (numHeads / numKvHeads)
 * @param headDim         may differ from hiddenSize / numHeads (Qwen3, some Llamas)
 * @param hiddenAct       the MLP's activation as config.json names it (silu for the Llama family)
 * @param normEps         rms_norm_eps (Llama family) or layer_norm_epsilon (GPT-2)
 * @param maxPositions    the longest sequence, prompt and generated tokens together
 * @param ropeScaling     null for plain RoPE (and for GPT-2, which has no RoPE)
 * @param slidingWindows  per layer: how many keys back a query sees, itself included; 0 = all
 * @param qkvBias         q, k and v projections have biases (Qwen2 always; Llama/Qwen3 attention_bias; GPT-2)
 * @param outputBias      the attention output projection has a bias (Llama/Qwen3 attention_bias; GPT-2)
 * @param mlpBias         the MLP projections have biases (Llama mlp_bias; GPT-2)
 * @param qkNorm          per-head RMSNorm of q and k before RoPE (Qwen3)
 * @param attentionScale  per layer, the factor on q·k: 1/√headDim, GPT-2's options applied
 * @param eosTokenIds     possibly empty; generation_config.json may override
 * @param bosTokenId      -1 when absent
 * @param padTokenId      -1 when absent
 */
public record DecoderConfig(String modelType, List<String> architectures, Family family, int vocabSize,
                            int hiddenSize, int numLayers, int numHeads, int numKvHeads, int headDim,
                            int intermediateSize, String hiddenAct, double normEps, int maxPositions, double ropeTheta,
                            RopeScaling ropeScaling, List<Integer> slidingWindows, boolean qkvBias,
                            boolean outputBias, boolean mlpBias, boolean qkNorm, boolean tieWordEmbeddings,
                            List<Float> attentionScale, int bosTokenId, List<Integer> eosTokenIds, int padTokenId)
        implements ArchitectureConfig {

    /**
     * The widest projection (heads × head size) a config may claim: far above any published model (a few
     * tens of thousands), low enough that widths times token counts stay within a Java array's indices.
     */
    public static final int MAX_WIDTH = 1 << 20;

    /** The decoder blocks Spotlight implements. */
    public enum Family { LLAMA, GPT2 }

    public DecoderConfig {
        architectures = List.copyOf(architectures);
        slidingWindows = List.copyOf(slidingWindows);
        attentionScale = List.copyOf(attentionScale);
        eosTokenIds = List.copyOf(eosTokenIds);
        if (slidingWindows.size() != numLayers || attentionScale.size() != numLayers) {
            throw new IllegalArgumentException("slidingWindows and attentionScale need one entry per layer (" + numLayers + ")");
        }
    }

    /** model_type values this class parses, and the family each runs as. */
    static Family familyOf(String modelType) {
        return switch (modelType) {
            case "llama", "mistral", "qwen2", "qwen3" -> Family.LLAMA;
            case "gpt2" -> Family.GPT2;
            default -> null;
        };
    }

    public int qDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    static DecoderConfig parse(JsonNode root, String modelType, String source) {
        ConfigFields f = new ConfigFields(root, source);
        return familyOf(modelType) == Family.GPT2 ? gpt2(f, modelType) : llama(f, modelType);
    }

    private static DecoderConfig llama(ConfigFields f, String modelType) {
        String source = f.source();
        int hidden = positive(f, "hidden_size", f.integer("hidden_size", null));
        int heads = positive(f, "num_attention_heads", f.integer("num_attention_heads", null));
        int layers = layers(f, "num_hidden_layers", f.integer("num_hidden_layers", null));
        int kvHeads = positive(f, "num_key_value_heads", f.integer("num_key_value_heads", heads));
        if (heads % kvHeads != 0) {
            throw new ModelFormatException(source + ": num_key_value_heads " + kvHeads + " does not divide num_attention_heads "
                    + heads);
        }
        // Qwen3Config defaults head_dim to 128; the others derive it from the hidden size
        int headDim = f.integer("head_dim", modelType.equals("qwen3") ? 128 : hidden / heads);
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new ModelFormatException(source + ": head_dim is " + headDim + ", expected a positive even number (RoPE"
                    + " rotates pairs)");
        }
        // q and k widths are ints: a product that wraps could alias a real tensor's shape and pass the shape checks
        if ((long) heads * headDim > MAX_WIDTH) {
            throw new ModelFormatException(source + ": num_attention_heads " + heads + " × head_dim " + headDim + " is "
                    + (long) heads * headDim + ", expected at most " + MAX_WIDTH);
        }
        String act = f.string("hidden_act", "silu");
        if (!act.equals("silu") && !act.equals("swish")) {
            throw new ModelFormatException(source + ": hidden_act \"" + act + "\" is not supported for " + modelType
                    + ", expected silu");
        }
        double eps = f.number("rms_norm_eps", 1e-6);
        int maxPositions = positive(f, "max_position_embeddings", f.integer("max_position_embeddings", switch (modelType) {
            case "mistral" -> 4096 * 32;
            case "qwen2", "qwen3" -> 32768;
            default -> 2048;
        }));
        // transformers v5 moved rope_theta and rope_type into rope_parameters
        JsonNode ropeParameters = f.object("rope_parameters");
        double theta = ropeParameters != null && ropeParameters.hasNonNull("rope_theta")
                ? new ConfigFields(ropeParameters, source + ": rope_parameters").number("rope_theta", 10000)
                : f.number("rope_theta", 10000.0);
        if (!(theta > 1) || Double.isInfinite(theta)) {
            throw new ModelFormatException(source + ": rope_theta is " + theta + ", expected a number > 1");
        }
        RopeScaling scaling = f.has("rope_scaling") ? RopeScaling.parse(f.root().get("rope_scaling"), source, "rope_scaling")
                : RopeScaling.parse(ropeParameters, source, "rope_parameters");
        boolean attentionBias = f.bool("attention_bias", false);
        boolean qwen2 = modelType.equals("qwen2");
        boolean mistral = modelType.equals("mistral");
        return new DecoderConfig(modelType, f.strings("architectures"), Family.LLAMA,
                positive(f, "vocab_size", f.integer("vocab_size", null)), hidden, layers, heads, kvHeads, headDim,
                positive(f, "intermediate_size", f.integer("intermediate_size", null)), act, checkEps(f, "rms_norm_eps", eps),
                maxPositions, theta, scaling, windows(f, modelType, layers),
                qwen2 || (!mistral && attentionBias),   // Qwen2 always has q/k/v biases; Mistral never
                !qwen2 && !mistral && attentionBias,
                !mistral && !qwen2 && !modelType.equals("qwen3") && f.bool("mlp_bias", false),
                modelType.equals("qwen3"), f.bool("tie_word_embeddings", false), scales(layers, headDim, false, true),
                firstOr(f.tokenIds("bos_token_id")), f.tokenIds("eos_token_id"), firstOr(f.tokenIds("pad_token_id")));
    }

    private static DecoderConfig gpt2(ConfigFields f, String modelType) {
        String source = f.source();
        int hidden = positive(f, "n_embd", f.integer(f.has("n_embd") ? "n_embd" : "hidden_size", null));
        int heads = positive(f, "n_head", f.integer(f.has("n_head") ? "n_head" : "num_attention_heads", null));
        int layers = layers(f, "n_layer", f.integer(f.has("n_layer") ? "n_layer" : "num_hidden_layers", null));
        if (hidden % heads != 0) {
            throw new ModelFormatException(source + ": n_embd " + hidden + " is not a multiple of n_head " + heads);
        }
        int inner = f.has("n_inner") ? positive(f, "n_inner", f.integer("n_inner", null)) : 4 * hidden;
        String act = f.string("activation_function", "gelu_new");
        if (!List.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu", "relu").contains(act)) {
            throw new ModelFormatException(source + ": activation_function \"" + act
                    + "\" is not supported, expected gelu_new, gelu_pytorch_tanh, gelu_fast, gelu or relu");
        }
        double eps = checkEps(f, "layer_norm_epsilon", f.number("layer_norm_epsilon", 1e-5));
        int positions = positive(f, "n_positions", f.integer(f.has("n_positions") ? "n_positions" : "max_position_embeddings", 1024));
        List<Integer> full = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            full.add(0);
        }
        return new DecoderConfig(modelType, f.strings("architectures"), Family.GPT2,
                positive(f, "vocab_size", f.integer("vocab_size", null)), hidden, layers, heads, heads, hidden / heads, inner,
                act, eps, positions, 0, null, full, true, true, true, false, f.bool("tie_word_embeddings", true),
                scales(layers, hidden / heads, f.bool("scale_attn_by_inverse_layer_idx", false),
                        f.bool("scale_attn_weights", true)),
                firstOr(f.tokenIds("bos_token_id")), f.tokenIds("eos_token_id"), firstOr(f.tokenIds("pad_token_id")));
    }

    /**
     * Per-layer sliding windows as transformers decides them: Mistral windows every layer when
     * {@code sliding_window} is set; Qwen2 and Qwen3 only with {@code use_sliding_window}, from layer
     * {@code max_window_layers} on; an explicit {@code layer_types} list wins.
     */
    private static List<Integer> windows(ConfigFields f, String modelType, int layers) {
        int window = 0;
        int firstWindowed = 0;
        boolean windowed = switch (modelType) {
            case "mistral" -> f.has("sliding_window");
            case "qwen2", "qwen3" -> f.bool("use_sliding_window", false) && f.has("sliding_window");
            default -> false;
        };
        if (windowed) {
            window = f.integer("sliding_window", null);
            if (window <= 0) {
                throw new ModelFormatException(f.source() + ": sliding_window is " + window + ", expected a positive integer");
            }
            firstWindowed = modelType.equals("mistral") ? 0 : f.integer("max_window_layers", 28);
        }
        List<String> types = f.strings("layer_types");
        if (!types.isEmpty() && types.size() != layers) {
            throw new ModelFormatException(f.source() + ": layer_types has " + types.size() + " entries, expected one per layer ("
                    + layers + ")");
        }
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            boolean sliding = types.isEmpty() ? windowed && l >= firstWindowed : switch (types.get(l)) {
                case "full_attention" -> false;
                case "sliding_attention" -> true;
                default -> throw new ModelFormatException(f.source() + ": layer_types[" + l + "] is \"" + types.get(l)
                        + "\", expected full_attention or sliding_attention");
            };
            if (sliding && window == 0) {
                window = f.integer("sliding_window", null);
                if (window <= 0) {
                    throw new ModelFormatException(f.source() + ": sliding_window is " + window + ", expected a positive integer");
                }
            }
            out.add(sliding ? window : 0);
        }
        return out;
    }

    /** GPT-2 may drop the 1/√d factor (scale_attn_weights false) or divide it by layer + 1. */
    private static List<Float> scales(int layers, int headDim, boolean byInverseLayer, boolean scaled) {
        List<Float> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            double scale = scaled ? 1 / Math.sqrt(headDim) : 1;
            out.add((float) (byInverseLayer ? scale / (l + 1) : scale));
        }
        return out;
    }

    private static int positive(ConfigFields f, String key, int value) {
        if (value <= 0) {
            throw new ModelFormatException(f.source() + ": " + key + " is " + value + ", expected a positive integer");
        }
        return value;
    }

    /**
     * The layer count, checked before the per-layer lists are built from it: the deepest published
     * decoders have under 200 layers, and the weights then decide (a missing layer is named there).
     */
    private static int layers(ConfigFields f, String key, int value) {
        positive(f, key, value);
        if (value > ModelConfig.MAX_LAYERS) {
            throw new ModelFormatException(f.source() + ": " + key + " is " + value + ", expected at most " + ModelConfig.MAX_LAYERS);
        }
        return value;
    }

    private static double checkEps(ConfigFields f, String key, double eps) {
        if (!(eps > 0) || eps >= 1) {
            throw new ModelFormatException(f.source() + ": " + key + " is " + eps + ", expected a small positive number");
        }
        return eps;
    }

    private static int firstOr(List<Integer> ids) {
        return ids.isEmpty() ? -1 : ids.getFirst();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d layers, hidden %d, %d heads (%d kv) of %d, vocab %d, context %d",
                modelType, numLayers, hiddenSize, numHeads, numKvHeads, headDim, vocabSize, maxPositions);
    }
}
