package dev.spotlight.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.generation.GenerationResult;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A completion streamed as server-sent events, as the OpenAI API streams it: one {@code data:} chunk
 * per piece of new text, a last chunk per prompt with its {@code finish_reason}, an optional usage chunk,
 * then {@code data: [DONE]}. A chat completion's chunks are {@code chat.completion.chunk} objects whose
 * choices carry a {@code delta}: the role first, then the content in pieces, then an empty delta with
 * the finish reason. The model's worker only queues text; this request's own thread writes it,
 * so a slow client never holds the model. Text that could be the start of a stop string is held back
 * until it is known not to be one, and nothing is sent from a stop string on, so the stream never shows
 * a stop string the final text leaves out: everything streamed is a prefix of the non-streamed answer.
 */
final class CompletionStream {
    private record Delta(int index, String text) {
    }

    private final ServerResponse res;
    private final String id;
    private final long created;
    private final String model;
    private final List<String> stopStrings;
    private final int holdBack;
    private final boolean usage;
    private final boolean chat;
    private final StringBuilder[] streamed;  // per prompt: all text the model produced so far
    private final int[] emitted;             // per prompt: how much of it was sent
    private final boolean[] stopped;
    private OutputStream out;

    CompletionStream(ServerResponse res, String id, long created, String model, List<String> stopStrings, int prompts,
                     boolean usage, boolean chat) {
        this.res = res;
        this.id = id;
        this.created = created;
        this.model = model;
        this.stopStrings = List.copyOf(stopStrings);
        this.holdBack = Math.max(0, stopStrings.stream().mapToInt(String::length).max().orElse(0) - 1);
        this.usage = usage;
        this.chat = chat;
        this.streamed = new StringBuilder[prompts];
        this.emitted = new int[prompts];
        this.stopped = new boolean[prompts];
        for (int i = 0; i < prompts; i++) {
            streamed[i] = new StringBuilder();
        }
    }

    void run(CompletionRoutes.Start start, long deadline, List<int[]> prompts) {
        LinkedBlockingQueue<Delta> deltas = new LinkedBlockingQueue<>();
        CompletableFuture<List<GenerationResult>> done = start.start((i, text) -> deltas.add(new Delta(i, text)));
        try {
            if (chat) {
                for (int i = 0; i < streamed.length; i++) {
                    ObjectNode delta = JsonBody.JSON.createObjectNode().put("role", "assistant").put("content", "");
                    event(choiceChunk(i, delta, null).toString());
                }
            }
            while (!done.isDone() || !deltas.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    done.cancel(false);
                    fail("the request timed out while generating");
                    return;
                }
                Delta d = deltas.poll(20, TimeUnit.MILLISECONDS);
                if (d != null && !stopped[d.index]) {
                    push(d.index, d.text);
                }
            }
            List<GenerationResult> results = done.join();
            for (int i = 0; i < results.size(); i++) {
                String text = results.get(i).text();
                chunk(i, text.substring(Math.min(emitted[i], text.length())), CompletionRoutes.finishReason(results.get(i)));
            }
            if (usage) {
                ObjectNode last = envelope(id, chat ? "chat.completion.chunk" : "text_completion", created, model);
                last.putArray("choices");
                last.set("usage", usage(prompts, results));
                event(last.toString());
            }
            event("[DONE]");
            out.close();
        } catch (InterruptedException e) {
            done.cancel(false);
            Thread.currentThread().interrupt();
        } catch (UncheckedIOException | java.util.concurrent.CompletionException e) {
            // the client left (its sequences leave the generation at the next step), or the generation
            // failed after the stream began: end the stream
            done.cancel(false);
            if (e instanceof java.util.concurrent.CompletionException) {
                fail("the generation failed");
            }
        } catch (IOException e) {
            done.cancel(false);  // the client left: its sequences leave the generation at the next step
        }
    }

    /**
     * Adds a piece of text and sends what is safe: nothing from the first stop string on (the model's
     * loop hears of a stop only after it has passed the text on), and never the last characters that
     * could still begin one.
     */
    private void push(int index, String text) throws IOException {
        StringBuilder all = streamed[index].append(text);
        int limit = all.length() - holdBack;
        int stop = firstStop(all);
        if (stop < all.length()) {
            stopped[index] = true;
            limit = stop;
        }
        if (limit > emitted[index]) {
            chunk(index, all.substring(emitted[index], limit), null);
        }
    }

    /**
     * Where the first stop string starts, or the text's length. Never inside what was sent: a stop
     * string starting there would have been whole, and found, before the hold-back let it go.
     */
    private int firstStop(StringBuilder all) {
        int first = all.length();
        for (String stop : stopStrings) {
            int at = all.indexOf(stop);
            if (at >= 0) {
                first = Math.min(first, at);
            }
        }
        return first;
    }

    private void chunk(int index, String text, String finish) throws IOException {
        if (text.isEmpty() && finish == null) {
            return;
        }
        emitted[index] += text.length();
        if (!chat) {
            ObjectNode root = envelope(id, "text_completion", created, model);
            ObjectNode choice = root.putArray("choices").addObject().put("text", text).put("index", index).putNull("logprobs");
            choice.put("finish_reason", finish);
            event(root.toString());
            return;
        }
        if (!text.isEmpty()) {
            event(choiceChunk(index, JsonBody.JSON.createObjectNode().put("content", text), null).toString());
        }
        if (finish != null) {
            event(choiceChunk(index, JsonBody.JSON.createObjectNode(), finish).toString());
        }
    }

    private ObjectNode choiceChunk(int index, ObjectNode delta, String finish) {
        ObjectNode root = envelope(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        choice.putNull("logprobs").put("finish_reason", finish);
        return root;
    }

    private void event(String data) throws IOException {
        if (out == null) {
            res.status(200);
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            out = res.outputStream();
        }
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void fail(String message) {
        try {
            if (out == null) {
                throw new ServerException(503, "Timeout", message, 1);
            }
            ObjectNode error = JsonBody.JSON.createObjectNode();
            error.putObject("error").put("message", message).put("type", "server_error");
            event(error.toString());
            out.close();
        } catch (IOException ignored) {
            // the client left
        }
    }

    static ObjectNode envelope(String id, String object, long created, String model) {
        ObjectNode root = JsonBody.JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    static ObjectNode usage(List<int[]> prompts, List<GenerationResult> results) {
        int prompt = prompts.stream().mapToInt(p -> p.length).sum();
        int completion = results.stream().mapToInt(r -> r.generatedIds().length).sum();
        return JsonBody.JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }
}
