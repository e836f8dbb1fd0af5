/**
 * Weight files: {@link dev.spotlight.models.weights.Safetensors} (single or sharded, memory-mapped,
 * F32/F16/BF16/F64) and {@link dev.spotlight.models.weights.OnnxWeights} (the initializers of an ONNX
 * export, read with a minimal protobuf reader). Both present the same
 * {@link dev.spotlight.models.weights.Weights}: Hugging Face tensor names, PyTorch layouts, f32 on read.
 * Every length and offset in a file is validated before use; a bad file is a
 * {@link dev.spotlight.models.ModelFormatException} naming the file, the tensor or byte offset, and
 * what was expected.
 */
package dev.spotlight.models.weights;
