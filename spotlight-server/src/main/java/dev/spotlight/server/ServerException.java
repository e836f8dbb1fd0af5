package dev.spotlight.server;

/**
 * Why a request gets an error answer instead of a result: its HTTP status, a short error type in the
 * ecosystem's words (TEI's {@code Validation}, {@code Overloaded} …; OpenAI's {@code invalid_request_error}
 * is derived from the status) and a one-line message naming the field, the value and what was expected.
 * Never carries a stack trace or another component's message to the client.
 */
public final class ServerException extends RuntimeException {
    private final int status;
    private final String type;
    private final int retryAfterSeconds;

    public ServerException(int status, String type, String message) {
        this(status, type, message, 0);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when > 0 (429, 503) */
    public ServerException(int status, String type, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ServerException badRequest(String message) {
        return new ServerException(400, "Validation", message);
    }

    public static ServerException tooLarge(String message) {
        return new ServerException(413, "Validation", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
