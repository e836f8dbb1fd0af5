/**
 * Finding a model's files: {@link dev.spotlight.models.hub.ModelResolver} turns a built-in name, a
 * Hugging Face folder, an .onnx file or a model jar into {@link dev.spotlight.models.hub.ModelFiles}
 * (config, tokenizer.json, weights, pooling); {@link dev.spotlight.models.hub.HfFolder} writes a
 * model back out as a Hugging Face folder.
 */
package dev.spotlight.models.hub;
