package dev.spotlight.models;

/**
 * A model file that cannot be used: a malformed or truncated safetensors/ONNX file, a config.json
 * field of the wrong type, a tensor of the wrong shape, an unknown model name. The message names
 * the file, the tensor or field, the value found and what was expected, so the user can fix the
 * input without a stack trace.
 */
public final class ModelFormatException extends ModelException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
