package dev.spotlight.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** Writing answers: JSON bodies, and errors in the shape the route's ecosystem uses. */
final class Responses {
    /** Whose error shape a route answers with. */
    enum Family {
        /** {@code {"error": {"message", "type", "param", "code"}}}, as the OpenAI API and its clients expect. */
        OPENAI,
        /** {@code {"error": "…", "error_type": "Validation"}}, as text-embeddings-inference answers. */
        TEI
    }

    static final String JSON_TYPE = "application/json";

    private Responses() {
    }

    static void json(ServerResponse res, int status, Object value) {
        byte[] bytes;
        try {
            bytes = JsonBody.JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new ServerException(500, "Backend", "the answer could not be written as JSON");
        }
        send(res, status, JSON_TYPE, bytes);
    }

    static void send(ServerResponse res, int status, String contentType, byte[] body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }

    static void error(ServerResponse res, Family family, ServerException e) {
        if (res.isSent()) {
            return;  // a stream already started; it ends with its own error event
        }
        if (e.retryAfterSeconds() > 0) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        if (e.status() == 401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        json(res, e.status(), body(family, e));
    }

    static ObjectNode body(Family family, ServerException e) {
        ObjectNode root = JsonBody.JSON.createObjectNode();
        if (family == Family.TEI) {
            root.put("error", e.getMessage());
            root.put("error_type", e.type());
            return root;
        }
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", switch (e.status()) {
            case 401 -> "authentication_error";
            case 429 -> "rate_limit_error";
            case 500, 503 -> "server_error";
            default -> "invalid_request_error";
        });
        error.putNull("param");
        error.put("code", switch (e.status()) {
            case 401 -> "invalid_api_key";
            case 404 -> "model_not_found";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_exceeded";
            default -> null;
        });
        return root;
    }
}
