package dev.spotlight.explain;

/**
 * A capture or an explanation request that cannot be honoured: ragged attention arrays, a row that is
 * not a probability distribution, a mask that disagrees with the tokens, an input too long for an
 * algorithm. The message names the field, the offending value and what was expected.
 */
public final class ExplainException extends RuntimeException {
    public ExplainException(String message) {
        super(message);
    }
}
