package dev.spotlight.server;

import dev.spotlight.models.EncoderModel;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Truncation;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts of one request tokenized for an encoder, on the request's own thread, within the limits: at
 * most {@link ServerOptions#maxInputs} texts, each at most the model's token limit — truncated when the
 * request asks for it, else refused with the count. Truncation is the model's own (what
 * {@code spotlight embed} and {@link EncoderModel#embed} do), so a truncated input embeds identically.
 */
final class EncoderInputs {
    private EncoderInputs() {
    }

    /** Tokens per input for {@code model}: its own limit, lowered by the server's when set. */
    static int limit(EncoderModel model, ServerOptions options) {
        int own = model.options().truncation().maxLength();
        return options.maxInputTokens() > 0 ? Math.min(own, options.maxInputTokens()) : own;
    }

    static void checkCount(List<String> texts, String field, ServerOptions options) {
        if (texts.size() > options.maxInputs()) {
            throw ServerException.tooLarge("`" + field + "` has " + texts.size() + " inputs, more than the limit of "
                    + options.maxInputs() + " per request");
        }
    }

    /**
     * @param pairs     second texts (a cross-encoder's or NLI's pair), same count as texts, or null
     * @param truncate  cut inputs at the limit instead of refusing them
     * @param direction where to cut (Hugging Face's truncation_direction)
     */
    static List<Encoding> encode(EncoderModel model, List<String> texts, List<String> pairs, boolean truncate,
                                 Direction direction, String field, ServerOptions options) {
        checkCount(texts, field, options);
        if (pairs != null && pairs.size() != texts.size()) {
            throw ServerException.badRequest("`pairs` has " + pairs.size() + " texts but `" + field + "` has " + texts.size()
                    + ": give one pair text per input");
        }
        int limit = limit(model, options);
        EncodeOptions base = model.options().withPadding(null);
        Truncation own = base.truncation();
        Truncation cut = own.maxLength() == limit && own.direction() == direction ? own
                : new Truncation(limit, own.strategy(), direction, 0);
        EncodeOptions encodeOptions = truncate ? base.withTruncation(cut) : base.withTruncation(null);
        List<Encoding> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = tokenize(model, texts.get(i), pairs == null ? null : pairs.get(i), encodeOptions, field, i);
            if (e.length() > limit) {
                throw ServerException.tooLarge("`" + field + "[" + i + "]` has " + e.length() + " tokens, more than the limit of "
                        + limit + " for model " + model.name() + "; send \"truncate\": true or a shorter text");
            }
            out.add(e);
        }
        return out;
    }

    static Encoding tokenize(EncoderModel model, String text, String pair, EncodeOptions options, String field, int index) {
        try {
            return model.tokenizer().encode(text, pair, options);
        } catch (RuntimeException e) {
            throw new ServerException(422, "Tokenizer", "`" + field + "[" + index + "]` could not be tokenized ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    static Direction direction(JsonBody body) {
        String d = body.string("truncation_direction", "Right");
        return switch (d) {
            case "Right", "right" -> Direction.Right;
            case "Left", "left" -> Direction.Left;
            default -> throw ServerException.badRequest("`truncation_direction` is " + JsonBody.clip(d, 40)
                    + ", expected \"Right\" or \"Left\"");
        };
    }

    static int tokens(List<Encoding> encodings) {
        int n = 0;
        for (Encoding e : encodings) {
            for (int m : e.attentionMask()) {
                n += m;
            }
        }
        return n;
    }
}
