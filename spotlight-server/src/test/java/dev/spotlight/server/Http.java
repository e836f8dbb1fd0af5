package dev.spotlight.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpHeaders;
import java.time.Duration;

/** A loopback client of one test server, optionally with an API key. */
record Http(HttpClient client, int port, String key) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Http of(SpotlightServer server) {
        return new Http(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), server.port(), null);
    }

    /** A JSON text (an SSE event's data) as a tree. */
    static JsonNode tree(String json) {
        return new Reply(200, null, json).json();
    }

    Http withKey(String k) {
        return new Http(client, port, k);
    }

    record Reply(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The one-line reason of an error, in either shape. */
        String error() {
            JsonNode e = json().get("error");
            return e.isTextual() ? e.asText() : e.get("message").asText();
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply post(String path, Object body) {
        try {
            return post(path, JSON.writeValueAsString(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }
}
