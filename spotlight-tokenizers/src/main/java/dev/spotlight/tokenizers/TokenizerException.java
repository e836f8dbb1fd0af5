package dev.spotlight.tokenizers;

/**
 * Everything that goes wrong while loading or running a tokenizer: a malformed tokenizer.json, an
 * unknown component type, a field of the wrong type, or options Hugging Face would reject too.
 * The message names the file, the JSON path, the offending value and what was expected.
 */
public final class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
