package dev.spotlight.spark;

/**
 * A stage could not do what its options ask: a model that is not there, a text the stage cannot
 * take. The message names the stage (class and uid), the option and its value, and, on an executor,
 * the host, because a driver's log shows it far from where it happened.
 */
public final class SpotlightSparkException extends RuntimeException {
    public SpotlightSparkException(String message) {
        super(message);
    }

    public SpotlightSparkException(String message, Throwable cause) {
        super(message, cause);
    }
}
