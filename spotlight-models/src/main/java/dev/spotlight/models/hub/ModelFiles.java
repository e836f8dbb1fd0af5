package dev.spotlight.models.hub;

import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.Weights;

/**
 * Everything needed to build a model, whatever it was resolved from: a built-in name, a Hugging
 * Face folder, an .onnx file or a model jar. Owns the weights: close it (or the model built on it).
 *
 * @param name                a display name (built-in id, folder or file name)
 * @param tokenizerJson       the bytes of tokenizer.json
 * @param pooling             "mean" or "cls"
 * @param normalize           whether sentence embeddings are L2-normalised
 * @param tokenizerConfigJson the bytes of tokenizer_config.json, or null when the model has none
 * @param source              where it came from (path or jar resource), for messages
 */
public record ModelFiles(String name, ModelConfig config, byte[] tokenizerJson, Weights weights, String pooling,
                         boolean normalize, byte[] tokenizerConfigJson, String source) implements AutoCloseable {

    public ModelFiles {
        new Pooling(pooling, normalize);  // validates the mode
    }

    @Override
    public void close() {
        weights.close();
    }
}
