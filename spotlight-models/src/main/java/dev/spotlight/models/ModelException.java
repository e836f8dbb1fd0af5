package dev.spotlight.models;

/**
 * A request a model cannot serve as asked: a prompt longer than the model's context, a KV cache that
 * would not fit the memory it may use, a token id outside the vocabulary. The message says what was
 * asked, the limit, and what to change. {@link ModelFormatException}, for unusable files, is one kind.
 */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
