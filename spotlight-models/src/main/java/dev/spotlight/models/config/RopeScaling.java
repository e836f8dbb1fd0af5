package dev.spotlight.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.ModelFormatException;

/**
 * {@code rope_scaling} of a Llama-family config.json: how the rotary frequencies are stretched for
 * contexts longer than the model was trained on. Only the types whose result does not depend on the
 * sequence length are supported; any other type is refused by name, never run as plain RoPE.
 *
 * @param type              "linear" (every frequency divided by {@code factor}) or "llama3"
 *                          (Llama 3.1's piecewise rule: long wavelengths divided by {@code factor},
 *                          short ones kept, the band between blended)
 * @param factor            > 0
 * @param lowFreqFactor     llama3 only
 * @param highFreqFactor    llama3 only, > lowFreqFactor
 * @param originalMaxPositions llama3 only: {@code original_max_position_embeddings}
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions) {

    public static final String LINEAR = "linear";
    public static final String LLAMA3 = "llama3";

    /** The scaling in {@code node} ({@code rope_scaling} or {@code rope_parameters}); null for plain RoPE. */
    static RopeScaling parse(JsonNode node, String source, String key) {
        if (node == null || node.isNull()) {
            return null;
        }
        String at = source + ": " + key;
        if (!node.isObject()) {
            throw new ModelFormatException(at + " is " + node + ", expected an object or null");
        }
        ConfigFields f = new ConfigFields(node, at);
        // transformers writes the type as "rope_type" today and as "type" in older files
        String type = f.has("rope_type") ? f.string("rope_type", null) : f.string("type", "default");
        return switch (type) {
            case "default" -> null;
            case LINEAR -> new RopeScaling(LINEAR, positive(f, "factor", at), 0, 0, 0);
            case LLAMA3 -> {
                double low = positive(f, "low_freq_factor", at);
                double high = positive(f, "high_freq_factor", at);
                if (!(high > low)) {
                    throw new ModelFormatException(at + ".high_freq_factor " + high + " must be greater than low_freq_factor " + low);
                }
                int original = f.integer("original_max_position_embeddings", null);
                if (original <= 0) {
                    throw new ModelFormatException(at + ".original_max_position_embeddings is " + original
                            + ", expected a positive integer");
                }
                yield new RopeScaling(LLAMA3, positive(f, "factor", at), low, high, original);
            }
            default -> throw new ModelFormatException(at + ": type \"" + type
                    + "\" is not supported, expected default, linear or llama3 (dynamic, yarn and longrope change with"
                    + " the sequence length and are not implemented)");
        };
    }

    private static double positive(ConfigFields f, String key, String at) {
        if (!f.has(key)) {
            throw new ModelFormatException(at + ": required key '" + key + "' is missing");
        }
        double v = f.number(key, 0);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ModelFormatException(at + "." + key + " is " + v + ", expected a positive number");
        }
        return v;
    }
}
