package dev.spotlight.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.pooling.SentencePooling;
import dev.spotlight.server.batching.BatchingWorker;
import dev.spotlight.server.batching.EncoderWorker;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.Encoding;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The embedding routes: OpenAI's {@code POST /v1/embeddings} and text-embeddings-inference's
 * {@code POST /embed} and {@code POST /tokenize}, with their request fields and answer shapes.
 */
final class EmbeddingRoutes {
    private final ServedModels models;
    private final ServerOptions options;

    EmbeddingRoutes(ServedModels models, ServerOptions options) {
        this.models = models;
        this.options = options;
    }

    /**
     * {@code input} (string or array of strings), {@code model}, {@code encoding_format} float | base64,
     * {@code dimensions} (must be the model's), {@code user} (ignored); {@code truncate} (not OpenAI's:
     * default false, so an input over the limit is refused as OpenAI refuses it). Vectors are pooled and
     * normalised as the model was trained to be used: {@code spotlight embed}'s vectors, bit for bit.
     */
    void openAi(ServerRequest req, ServerResponse res, long deadline) {
        JsonBody body = JsonBody.read(req, options.maxBodyBytes());
        EncoderWorker worker = models.encoder(body.string("model", null));
        String format = body.string("encoding_format", "float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ServerException.badRequest("`encoding_format` is " + JsonBody.clip(format, 40) + ", expected \"float\" or \"base64\"");
        }
        body.string("user", null);
        EncoderModel model = worker.encoder();
        int hidden = model.config().hiddenSize();
        Integer dimensions = body.integer("dimensions", null, 1, Integer.MAX_VALUE);
        if (dimensions != null && dimensions != hidden) {
            throw ServerException.badRequest("`dimensions` is " + dimensions + " but model " + model.name() + " makes vectors of "
                    + hidden + " (it cannot shorten them)");
        }
        List<Encoding> encodings = EncoderInputs.encode(model, body.texts("input"), null, body.bool("truncate", false),
                Direction.Right, "input", options);
        float[][] vectors = BatchingWorker.await(worker.embed(encodings, model.pooling()), deadline);
        ObjectNode root = JsonBody.JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.length; i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (format.equals("base64")) {
                item.put("embedding", base64(vectors[i]));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vectors[i]) {
                    values.add(v);
                }
            }
        }
        root.put("model", model.name());
        int tokens = EncoderInputs.tokens(encodings);
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        Responses.json(res, 200, root);
    }

    /**
     * TEI's {@code /embed}: {@code inputs}, {@code normalize} (default true: unit length whatever the
     * model's own setting), {@code truncate} (default false), {@code truncation_direction}; the answer is
     * one array of floats per input.
     */
    void embed(ServerRequest req, ServerResponse res, long deadline) {
        JsonBody body = JsonBody.read(req, options.maxBodyBytes());
        EncoderWorker worker = models.encoder(body.string("model", null));
        if (body.has("prompt_name")) {
            throw ServerException.badRequest("`prompt_name`: this server has no prompts configured");
        }
        EncoderModel model = worker.encoder();
        SentencePooling pooling = new SentencePooling(model.pooling().mode(), body.bool("normalize", true));
        List<Encoding> encodings = EncoderInputs.encode(model, body.texts("inputs"), null, body.bool("truncate", false),
                EncoderInputs.direction(body), "inputs", options);
        float[][] vectors = BatchingWorker.await(worker.embed(encodings, pooling), deadline);
        Responses.json(res, 200, vectors);
    }

    /**
     * TEI's {@code /tokenize}: {@code inputs}, {@code add_special_tokens} (default true); per input its
     * tokens as {@code {id, text, special, start, stop}}. As in TEI, {@code start}/{@code stop} are UTF-8
     * byte offsets into the input and {@code text} the input's bytes between them; special tokens have
     * their own text and null offsets. Runs on the request thread: no model pass is needed.
     */
    void tokenize(ServerRequest req, ServerResponse res) {
        JsonBody body = JsonBody.read(req, options.maxBodyBytes());
        EncoderModel model = models.encoder(body.string("model", null)).encoder();
        List<String> texts = body.texts("inputs");
        EncoderInputs.checkCount(texts, "inputs", options);
        var encodeOptions = model.options().withPadding(null).withTruncation(null)
                .withAddSpecialTokens(body.bool("add_special_tokens", true));
        ArrayNode root = JsonBody.JSON.createArrayNode();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Encoding e = EncoderInputs.tokenize(model, text, null, encodeOptions, "inputs", i);
            int[] byteAt = utf8Offsets(text);
            ArrayNode tokens = root.addArray();
            for (int t = 0; t < e.length(); t++) {
                ObjectNode token = tokens.addObject();
                token.put("id", e.id(t));
                boolean special = e.specialTokensMask()[t] == 1;
                if (special) {
                    token.put("text", e.token(t));
                    token.put("special", true);
                    token.putNull("start");
                    token.putNull("stop");
                } else {
                    int start = byteAt[e.start(t)];
                    int stop = byteAt[e.end(t)];
                    token.put("text", new String(text.getBytes(StandardCharsets.UTF_8), start, stop - start, StandardCharsets.UTF_8));
                    token.put("special", false);
                    token.put("start", start);
                    token.put("stop", stop);
                }
            }
        }
        Responses.json(res, 200, root);
    }

    /** The UTF-8 byte offset of every code point index of {@code text}, plus its end. */
    private static int[] utf8Offsets(String text) {
        int[] out = new int[text.codePointCount(0, text.length()) + 1];
        int bytes = 0;
        int cp = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            out[cp++] = bytes;
            // a lone surrogate (JSON allows "\ud800") is written by getBytes as one '?'
            bytes += c < 0x80 || Character.isSurrogate((char) c) && c < 0x10000 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            i += Character.charCount(c);
        }
        out[cp] = bytes;
        return out;
    }

    /** Little-endian float32 bytes in standard base64: what OpenAI sends and its clients decode. */
    static String base64(float[] v) {
        ByteBuffer buffer = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            buffer.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
