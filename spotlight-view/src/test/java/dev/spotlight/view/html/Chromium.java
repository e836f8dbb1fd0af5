package dev.spotlight.view.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client, so the
 * browser test needs no driver library. One page, one connection; events are kept for inspection.
 * A missing browser is an error, never a skip: CI installs Debian's {@code chromium}. Public for the
 * server's live-page test (spotlight-view's test-jar).
 */
public final class Chromium implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final Process process;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private Chromium(Process process, String pageSocket) {
        this.process = process;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(pageSocket), new Listener()).join();
    }

    static Path binary() {
        String configured = System.getenv("SPOTLIGHT_CHROMIUM");
        List<String> candidates = configured != null ? List.of(configured) : List.of("chromium", "chromium-browser", "google-chrome");
        for (String candidate : candidates) {
            Path direct = Path.of(candidate);
            if (direct.isAbsolute() && Files.isExecutable(direct)) {
                return direct;
            }
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(dir, candidate);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("chromium not found on PATH (looked for " + candidates + "): the browser test "
                + "needs Debian's chromium and chromium-driver (`apt-get install -y chromium chromium-driver`, as .ci/run does)");
    }

    public static Chromium launch(Path profile, int width, int height) throws Exception {
        Files.createDirectories(profile);
        List<String> command = List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile.toAbsolutePath(),
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=" + width + "," + height,
                "about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> browserSocket = new CompletableFuture<>();
        List<String> log = new CopyOnWriteArrayList<>();
        Thread drain = new Thread(() -> {
            // Keep reading stderr for the browser's whole life: a full pipe would stall it.
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    log.add(line);
                    int at = line.indexOf("ws://");
                    if (line.startsWith("DevTools listening on") && at >= 0) {
                        browserSocket.complete(line.substring(at).trim());
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            browserSocket.completeExceptionally(new IllegalStateException("chromium exited before DevTools started: " + log));
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            URI browser = URI.create(browserSocket.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + browser.getAuthority() + "/json/list")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : new ObjectMapper().readTree(list.body())) {
                if ("page".equals(target.path("type").asText())) {
                    return new Chromium(process, target.get("webSocketDebuggerUrl").asText());
                }
            }
            throw new IllegalStateException("chromium has no page target: " + list.body());
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", json.valueToTree(params));
        socket.sendText(json.writeValueAsString(message), true).join();
        JsonNode response = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (response.has("error")) {
            throw new IllegalStateException(method + " failed: " + response.get("error"));
        }
        return response.get("result");
    }

    /** Evaluates JavaScript in the page and returns its JSON value; a thrown exception fails the call. */
    public JsonNode eval(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script `" + expression + "` threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    public void navigate(String url) throws Exception {
        int before = events.size();
        send("Page.navigate", Map.of("url", url));
        awaitEvent(before, e -> "Page.loadEventFired".equals(e.path("method").asText()));
    }

    JsonNode awaitEvent(int from, Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = from; i < events.size(); i++) {
                if (wanted.test(events.get(i))) {
                    return events.get(i);
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("event not seen within " + TIMEOUT);
    }

    void mouseMove(double x, double y) throws Exception {
        send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
    }

    void click(double x, double y) throws Exception {
        mouseMove(x, y);
        send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
        send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
    }

    public void screenshot(Path file) throws Exception {
        write(file, send("Page.captureScreenshot", Map.of("format", "png")));
    }

    /** A screenshot of the page's top {@code height} CSS pixels. */
    void screenshotTop(Path file, double width, double height) throws Exception {
        write(file, send("Page.captureScreenshot", Map.of("format", "png",
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1))));
    }

    private static void write(Path file, JsonNode shot) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    /** Uncaught exceptions, console.error/assert calls and error log entries (CSP, failed loads). */
    public List<String> errors() {
        List<String> errors = new ArrayList<>();
        for (JsonNode e : events) {
            String method = e.path("method").asText();
            JsonNode params = e.path("params");
            if (method.equals("Runtime.exceptionThrown")
                    || (method.equals("Runtime.consoleAPICalled") && List.of("error", "assert").contains(params.path("type").asText()))
                    || (method.equals("Log.entryAdded") && params.path("entry").path("level").asText().equals("error"))) {
                errors.add(e.toString());
            }
        }
        return errors;
    }

    @Override
    public void close() {
        socket.abort();
        // Renderer and GPU helpers are this browser's children; end them with it.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                try {
                    JsonNode message = json.readTree(buffer.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    } else {
                        events.add(message);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                buffer.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
