package dev.spotlight.view.html;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.explain.AttentionFlow;
import dev.spotlight.explain.AttentionPattern;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.explain.HeadStatistics;
import dev.spotlight.explain.NormAttribution;
import dev.spotlight.explain.Rollout;
import dev.spotlight.explain.SequenceCapture;
import dev.spotlight.view.ViewException;
import java.util.List;

/**
 * Builds the one JSON object the HTML viewer reads (its shape is documented in docs/VIEWER.md): the
 * batch layout, each sequence's attention, and every explanation computed here in Java so the page
 * only draws. Format tag: {@value #FORMAT}.
 */
final class ViewerData {
    static final String FORMAT = "spotlight-attention/2";

    private ViewerData() {
    }

    static ObjectNode of(BatchCapture batch, int flowMaxTokens) {
        return of(batch, flowMaxTokens, null);
    }

    /** @param marks per sequence the token sets to mark (null: none) */
    static ObjectNode of(BatchCapture batch, int flowMaxTokens, List<List<TokenMark>> marks) {
        if (marks != null && marks.size() != batch.sequences().size()) {
            throw new ViewException("viewer marks: " + marks.size() + " lists for " + batch.sequences().size()
                    + " sequences, expected one per sequence");
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("format", FORMAT);
        root.put("model", batch.model());
        root.put("layers", batch.layers());
        root.put("heads", batch.heads());
        root.put("paddingSide", batch.paddingSide().jsonName());
        root.put("paddedLength", batch.paddedLength());
        root.put("flowMaxTokens", flowMaxTokens);
        ArrayNode sequences = root.putArray("sequences");
        for (int i = 0; i < batch.sequences().size(); i++) {
            ObjectNode node = sequence(batch.sequences().get(i), flowMaxTokens);
            node.set("marks", marks(marks == null ? List.of() : marks.get(i), batch.sequences().get(i).tokens().size(), i));
            sequences.add(node);
        }
        return root;
    }

    private static ObjectNode sequence(SequenceCapture s, int flowMaxTokens) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("text", s.text());
        ArrayNode tokens = node.putArray("tokens");
        s.tokens().forEach(tokens::add);
        ArrayNode special = node.putArray("special");
        for (boolean b : s.special()) {
            special.add(b);
        }
        ArrayNode mask = node.putArray("attentionMask");
        for (int m : s.attentionMask()) {
            mask.add(m);
        }
        ObjectNode pattern = node.putObject("pattern");
        pattern.put("kind", s.pattern().kind().jsonName());
        if (s.pattern().kind() == AttentionPattern.Kind.SLIDING_WINDOW) {
            pattern.put("window", s.pattern().window());
        } else {
            pattern.putNull("window");
        }
        node.put("promptTokens", s.promptTokens());
        node.set("attention", PackedArray.of(s.attention()).toJson());
        node.set("rollout", PackedArray.of(Rollout.of(s.attention())).toJson());
        int n = s.tokens().size();
        if (n <= flowMaxTokens) {
            node.set("flow", PackedArray.of(AttentionFlow.of(s.attention(), flowMaxTokens)).toJson());
        } else {
            node.putNull("flow");
        }
        if (s.headValues() != null) {
            node.set("valueNorms", PackedArray.of(NormAttribution.valueNorms(s.headValues())).toJson());
            node.set("normSummed", PackedArray.of(NormAttribution.headSummed(s.attention(), s.headValues())).toJson());
        } else {
            node.putNull("valueNorms");
            node.putNull("normSummed");
        }
        HeadStatistics stats = HeadStatistics.of(s.attention(), s.special(), s.pattern());
        ObjectNode statsNode = node.putObject("headStats");
        statsNode.set("entropy", matrix(stats.entropy()));
        statsNode.set("cls", matrix(stats.cls()));
        statsNode.set("sep", matrix(stats.sep()));
        statsNode.set("self", matrix(stats.self()));
        statsNode.set("previous", matrix(stats.previous()));
        return node;
    }

    private static ArrayNode marks(List<TokenMark> marks, int n, int sequence) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (TokenMark mark : marks) {
            ObjectNode node = out.addObject();
            node.put("label", mark.label());
            ArrayNode tokens = node.putArray("tokens");
            for (int k : mark.tokens()) {
                if (k < 0 || k >= n) {
                    throw new ViewException("viewer mark \"" + mark.label() + "\" of sequence " + sequence + ": token " + k
                            + " is outside its " + n + " tokens");
                }
                tokens.add(k);
            }
        }
        return out;
    }

    private static ArrayNode matrix(double[][] values) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (double[] row : values) {
            ArrayNode r = rows.addArray();
            for (double v : row) {
                // Four significant digits are all a table shows; keeps the JSON small.
                r.add(Math.round(v * 1e4) / 1e4);
            }
        }
        return rows;
    }
}
