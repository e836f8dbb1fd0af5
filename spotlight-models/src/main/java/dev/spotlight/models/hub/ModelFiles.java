package dev.spotlight.models.hub;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ArchitectureConfig;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.Weights;

/**
 * Everything needed to build a model, whatever it was resolved from: a built-in name, a Hugging
 * Face folder, an .onnx file or a model jar. Owns the weights: close it (or the model built on it).
 *
 * @param name                a display name (built-in id, folder or file name)
 * @param config              config.json as the model registry parsed it: an encoder's or a decoder's
 * @param tokenizerJson       the bytes of tokenizer.json
 * @param pooling             "mean" or "cls"
 * @param normalize           whether sentence embeddings are L2-normalised
 * @param tokenizerConfigJson the bytes of tokenizer_config.json, or null when the model has none
 * @param source              where it came from (path or jar resource), for messages
 * @param generationConfigJson the bytes of generation_config.json, or null when the model has none
 * @param configJson          the bytes of config.json, or null when there is none (an ONNX export's was inferred)
 */
public record ModelFiles(String name, ArchitectureConfig config, byte[] tokenizerJson, Weights weights, String pooling,
                         boolean normalize, byte[] tokenizerConfigJson, String source, byte[] generationConfigJson,
                         byte[] configJson)
        implements AutoCloseable {

    public ModelFiles {
        new Pooling(pooling, normalize);  // validates the mode
    }

    /** The encoder's config; a decoder's files fail with a one-line message. */
    public ModelConfig encoderConfig() {
        if (config instanceof ModelConfig encoder) {
            return encoder;
        }
        throw new ModelFormatException(source + ": model_type \"" + config.modelType() + "\" is a decoder (a causal language"
                + " model), not an encoder: load it with Spotlight.causalLM or run it with spotlight generate");
    }

    @Override
    public void close() {
        weights.close();
    }
}
