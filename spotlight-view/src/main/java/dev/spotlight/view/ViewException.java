package dev.spotlight.view;

/**
 * A rendering request that cannot be honoured: a layer or head out of range, an empty heatmap, labels
 * that do not match the matrix, an output file that cannot be written. The message names the field,
 * the value and what was expected.
 */
public final class ViewException extends RuntimeException {
    public ViewException(String message) {
        super(message);
    }

    public ViewException(String message, Throwable cause) {
        super(message, cause);
    }
}
