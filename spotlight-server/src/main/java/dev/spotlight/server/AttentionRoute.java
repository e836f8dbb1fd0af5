package dev.spotlight.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.explain.AttentionFlow;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.server.batching.BatchingWorker;
import dev.spotlight.server.batching.EncoderWorker;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Truncation;
import dev.spotlight.view.html.HtmlViewer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /attention}: for given texts (and pair texts), the tokenizer's padded batch and
 * attention mask exactly as Hugging Face returns them, and the viewer's data object (every layer's
 * attention and the explanations, docs/VIEWER.md) that {@code GET /} draws. The forward pass with
 * capture runs alone on the model's worker; the explanations are computed on the request's thread so
 * they never hold the model.
 *
 * <p>Request: {@code inputs} (string or array), {@code pairs} (optional, one per input),
 * {@code model}, {@code padding_side} "right" | "left", {@code truncate} (default true: the viewer
 * shows what the model reads), {@code flow_max_tokens} (attention flow only for inputs up to this
 * length; default {@value AttentionFlow#DEFAULT_MAX_TOKENS}, at most 128). The real tokens of all
 * inputs together are limited by {@link ServerOptions#attentionTokens}.
 */
final class AttentionRoute {
    private final ServedModels models;
    private final ServerOptions options;

    AttentionRoute(ServedModels models, ServerOptions options) {
        this.models = models;
        this.options = options;
    }

    void attention(ServerRequest req, ServerResponse res, long deadline) {
        JsonBody body = JsonBody.read(req, options.maxBodyBytes());
        EncoderWorker worker = models.encoder(body.string("model", null));
        EncoderModel model = worker.encoder();
        List<String> texts = body.texts("inputs");
        List<String> pairs = body.optionalTexts("pairs");
        String sideName = body.string("padding_side", "right");
        PaddingSide side = switch (sideName) {
            case "right" -> PaddingSide.RIGHT;
            case "left" -> PaddingSide.LEFT;
            default -> throw ServerException.badRequest("`padding_side` is " + JsonBody.clip(sideName, 40)
                    + ", expected \"right\" or \"left\"");
        };
        int flowMax = body.integer("flow_max_tokens", AttentionFlow.DEFAULT_MAX_TOKENS, 0, 128);
        boolean truncate = body.bool("truncate", true);
        // Each input alone first: the limits and their messages; then the padded batch as HF makes it.
        List<Encoding> alone = EncoderInputs.encode(model, texts, pairs, truncate, Direction.Right, "inputs", options);
        int tokens = EncoderInputs.tokens(alone);
        if (tokens > options.attentionTokens()) {
            throw ServerException.tooLarge("the inputs have " + tokens + " tokens together, more than the limit of "
                    + options.attentionTokens() + " for /attention");
        }
        EncodeOptions own = model.options();
        EncodeOptions padded = own.withPadding(own.padding().withDirection(side == PaddingSide.LEFT ? Direction.Left : Direction.Right))
                .withTruncation(new Truncation(EncoderInputs.limit(model, options), own.truncation().strategy(), Direction.Right, 0));
        List<Encoding> batch = pairs == null ? model.tokenizer().encodeBatch(texts, padded)
                : model.tokenizer().encodeBatch(texts, pairs, padded);
        EncoderOutput output = BatchingWorker.await(worker.alone(tokens, m -> m.forward(batch, Capture.EXPLAIN)), deadline);
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            captions.add(pairs == null ? texts.get(i) : texts.get(i) + " ‖ " + pairs.get(i));
        }
        BatchCapture capture = CaptureConversion.of(model.name(), new EncoderModel.Encoded(batch, output), captions, side);
        ObjectNode root = JsonBody.JSON.createObjectNode();
        root.put("model", model.name());
        root.put("padding_side", sideName);
        ObjectNode padding = root.putObject("batch");
        ArrayNode ids = padding.putArray("input_ids");
        ArrayNode mask = padding.putArray("attention_mask");
        ArrayNode types = padding.putArray("token_type_ids");
        ArrayNode tokenStrings = padding.putArray("tokens");
        for (Encoding e : batch) {
            ArrayNode i = ids.addArray();
            ArrayNode m = mask.addArray();
            ArrayNode t = types.addArray();
            ArrayNode s = tokenStrings.addArray();
            for (int p = 0; p < e.length(); p++) {
                i.add(e.id(p));
                m.add(e.attentionMask()[p]);
                t.add(e.typeIds()[p]);
                s.add(e.token(p));
            }
        }
        root.set("viewer", HtmlViewer.data(capture, flowMax));
        Responses.json(res, 200, root);
    }
}
