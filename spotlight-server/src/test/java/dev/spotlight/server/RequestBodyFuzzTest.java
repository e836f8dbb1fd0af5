package dev.spotlight.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.tokenizers.fuzz.MutationFuzzer;
import dev.spotlight.tokenizers.fuzz.Mutations;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the JSON bodies of every POST route of a running server (all-MiniLM-L6-v2 and stories260K with a
 * chat template): each case is one request, its route kept and its body mutated as a JSON tree or as bytes.
 * Clean outcomes are an answer (2xx; a stream without an error event) or a 4xx in the route family's error
 * shape whose message is one line and names no Java class; a 5xx, an error event in a stream, another
 * shape, a Java name or no answer within the harness's time limit is a failure. A long run:
 * {@code ./build test -pl spotlight-server -am -Dtest=RequestBodyFuzzTest -Dspotlight.fuzz.cases=20000
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RequestBodyFuzzTest {
    /** Seeds: the route on the first line, the body after it. */
    private static final List<String> SEEDS = List.of(
            "/v1/embeddings\n{\"model\": \"all-minilm-l6-v2\", \"input\": [\"Hello world\", \"Second text\"], \"encoding_format\": \"float\"}",
            "/v1/embeddings\n{\"input\": \"One\", \"encoding_format\": \"base64\", \"dimensions\": 384, \"user\": \"u\"}",
            "/embed\n{\"inputs\": [\"Hello\", \"world\"], \"normalize\": true, \"truncate\": true, \"truncation_direction\": \"right\"}",
            "/tokenize\n{\"inputs\": \"Hello world\", \"add_special_tokens\": true}",
            "/attention\n{\"inputs\": [\"The cat sat.\", \"A dog\"], \"padding_side\": \"left\", \"truncate\": true, \"flow_max_tokens\": 8}",
            "/attention\n{\"pairs\": [[\"Where?\", \"Here.\"]], \"model\": \"all-minilm-l6-v2\"}",
            "/v1/completions\n{\"prompt\": \"Once upon\", \"max_tokens\": 8, \"temperature\": 0.8, \"top_p\": 0.9, \"top_k\": 20,"
                    + " \"min_p\": 0.05, \"repetition_penalty\": 1.1, \"seed\": 3, \"stop\": [\".\"]}",
            "/v1/completions\n{\"prompt\": [\"Once\", \"The cat\"], \"max_tokens\": 4, \"stream\": true,"
                    + " \"stream_options\": {\"include_usage\": true}}",
            "/v1/chat/completions\n{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\","
                    + " \"content\": \"Hi!\"}], \"max_tokens\": 8, \"temperature\": 0}",
            "/v1/chat/completions\n{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\"}]},"
                    + " {\"role\": \"assistant\", \"content\": \"Hello\"}, {\"role\": \"user\", \"content\": \"More\"}],"
                    + " \"max_completion_tokens\": 6, \"stream\": true, \"chat_template_kwargs\": {\"enable_thinking\": false},"
                    + " \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {}}}]}");
    /** A Java class or frame in a message: a raw JDK message reached the client (Python's error names may, from a chat template). */
    private static final Pattern JAVA = Pattern.compile("Exception\\b|java\\.|OutOfMemoryError|StackOverflowError|\\bat dev\\.");

    private static SpotlightServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = SpotlightServer.start(ServerOptions.defaults().withPort(0).withGenerationLimits(512, 16),
                List.of(Fixtures.miniLm()), List.of(Fixtures.storiesChat()));
        http = Http.of(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A clean refusal: a 4xx in the route's error shape. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The route line is kept; the body is mutated (as a tree, one time in four as bytes). */
    private static final Mutations BODY = (seed, all, random) -> {
        int newline = indexOf(seed, (byte) '\n');
        byte[] body = Mutations.JSON.mutate(Arrays.copyOfRange(seed, newline + 1, seed.length), all, random);
        byte[] out = Arrays.copyOf(seed, newline + 1 + body.length);
        System.arraycopy(body, 0, out, newline + 1, body.length);
        return out;
    };

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("no route line");
    }

    @Test
    void mutatedBodiesGetAnAnswerOrAOneLineClientError() {
        List<byte[]> seeds = SEEDS.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        MutationFuzzer.Report r = new MutationFuzzer("server-requests", seeds, e -> e instanceof Refused, input -> {
            int newline = indexOf(input, (byte) '\n');
            String route = new String(input, 0, newline, StandardCharsets.UTF_8);
            byte[] body = Arrays.copyOfRange(input, newline + 1, input.length);
            Http.Reply reply = http.send(http.request(route).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            check(route, reply);
        }).mutations(BODY).run(MutationFuzzer.cases(300));
        System.out.println(r.summary());
        assertTrue(r.failures().isEmpty(), r.summary() + "\n" + String.join("\n", r.failures()));
    }

    private static void check(String route, Http.Reply reply) {
        int status = reply.status();
        if (status >= 200 && status < 300) {
            if (reply.body().contains("\"server_error\"")) {
                throw new AssertionError(route + ": " + status + " with an error event: " + clip(reply.body()));
            }
            return;
        }
        if (status < 400 || status >= 500) {
            throw new AssertionError(route + ": status " + status + ": " + clip(reply.body()));
        }
        String message;
        try {
            JsonNode error = Http.JSON.readTree(reply.body()).get("error");
            message = error.isTextual() ? error.asText() : error.get("message").asText();
        } catch (Exception e) {
            throw new AssertionError(route + ": " + status + " without the error shape: " + clip(reply.body()));
        }
        if (message.isBlank() || message.lines().count() != 1 || JAVA.matcher(message).find()) {
            throw new AssertionError(route + ": " + status + " with a raw or multi-line message: " + clip(message));
        }
        throw new Refused(message);
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
