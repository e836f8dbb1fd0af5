package dev.spotlight.tokenizers.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.TokenizerException;
import dev.spotlight.tokenizers.Truncation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON line in, one JSON line out: the contract the golden tests and the CLI's
 * {@code --jsonl} mode share with the Node generator that answers the same requests with the Rust
 * library.
 *
 * <p>Request: {@code {"texts": [...]}} or {@code {"pairs": [["a", "b"], ...]}}, optional
 * {@code "add_special_tokens"} (default true), {@code "padding"} and {@code "truncation"} written
 * like the tokenizer.json blocks; a key set to null disables the setting, an absent key keeps the
 * file's own. Response: {@code {"encodings": [...], "decoded": {"skip_special": [...],
 * "keep_special": [...]}}} with code-point offsets and null where Hugging Face has None, or
 * {@code {"error": "..."}} for that line only.
 */
public final class TokenizeProtocol {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizeProtocol() {
    }

    public static String handle(Tokenizer tokenizer, String requestLine) {
        try {
            return respond(tokenizer, requestLine);
        } catch (TokenizerException e) {
            return error(e.getMessage());
        } catch (RuntimeException e) {
            // Anything else is a bug here, but it must not end a JSONL session that serves other lines.
            return error(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String respond(Tokenizer tokenizer, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new TokenizerException("request: not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new TokenizerException("request: expected a JSON object");
        }
        JsonView request = JsonView.root(node, "request");
        EncodeOptions options = tokenizer.defaults().withAddSpecialTokens(request.bool("add_special_tokens", true));
        if (node.has("padding")) {
            options = options.withPadding(request.optional("padding").map(Padding::fromJson).orElse(null));
        }
        if (node.has("truncation")) {
            options = options.withTruncation(request.optional("truncation").map(Truncation::fromJson).orElse(null));
        }
        if (options.truncation() != null) {
            tokenizer.checkTruncation(options.truncation());
        }
        List<String> texts = new ArrayList<>();
        List<String> pairs = null;
        if (request.has("texts") == request.has("pairs")) {
            throw new TokenizerException("request: expected exactly one of \"texts\" and \"pairs\"");
        }
        if (request.has("texts")) {
            for (JsonView t : request.get("texts").elements()) {
                texts.add(t.asString());
            }
        } else {
            pairs = new ArrayList<>();
            for (JsonView p : request.get("pairs").elements()) {
                List<JsonView> two = p.elements();
                if (two.size() != 2) {
                    throw p.mismatch("a pair [first, second]");
                }
                texts.add(two.get(0).asString());
                pairs.add(two.get(1).asString());
            }
        }
        List<Encoding> encodings = tokenizer.encodeBatch(texts, pairs, options);
        List<int[]> ids = encodings.stream().map(Encoding::ids).toList();
        List<String> skip = tokenizer.decodeBatch(ids, true);
        List<String> keep = tokenizer.decodeBatch(ids, false);
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("encodings");
            for (Encoding e : encodings) {
                writeEncoding(g, e);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("decoded");
            writeStrings(g, "skip_special", skip);
            writeStrings(g, "keep_special", keep);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void writeEncoding(JsonGenerator g, Encoding e) throws IOException {
        int n = e.length();
        g.writeStartObject();
        writeInts(g, "ids", e.ids(), false);
        writeStrings(g, "tokens", e.tokens());
        g.writeArrayFieldStart("offsets");
        int[] offsets = e.offsets();
        for (int i = 0; i < n; i++) {
            g.writeStartArray();
            g.writeNumber(offsets[2 * i]);
            g.writeNumber(offsets[2 * i + 1]);
            g.writeEndArray();
        }
        g.writeEndArray();
        writeInts(g, "attention_mask", e.attentionMask(), false);
        writeInts(g, "type_ids", e.typeIds(), false);
        writeInts(g, "special_tokens_mask", e.specialTokensMask(), false);
        writeInts(g, "word_ids", e.wordIds(), true);
        writeInts(g, "sequence_ids", e.sequenceIds(), true);
        g.writeArrayFieldStart("overflowing");
        for (Encoding o : e.overflowing()) {
            writeEncoding(g, o);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeInts(JsonGenerator g, String name, int[] values, boolean negativeIsNull) throws IOException {
        g.writeArrayFieldStart(name);
        for (int v : values) {
            if (negativeIsNull && v < 0) {
                g.writeNull();
            } else {
                g.writeNumber(v);
            }
        }
        g.writeEndArray();
    }

    private static void writeStrings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static String error(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
