package dev.spotlight.models.llama2c;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face tokenizer.json of a llama2.c tokenizer, built as transformers'
 * {@code LlamaConverter} builds one from a SentencePiece BPE model, so that HF {@code tokenizers}
 * encodes as run.c's {@code encode()} does (with BOS):
 * <ul>
 *   <li>normalizer {@code Prepend("▁")} then {@code Replace(" " → "▁")} (run.c's dummy prefix and
 *       its spaces inside pieces), no pre-tokenizer;</li>
 *   <li>BPE with {@code byte_fallback} (run.c's byte + 3) and {@code fuse_unk};</li>
 *   <li>merges from the scores: for each piece in id order, every split into two vocabulary tokens,
 *       left to right; then all of them stably sorted by the piece's score, highest first. run.c
 *       merges the adjacent pair whose concatenation scores highest, and BPE applies the
 *       lowest-ranked merge first, so the ranks follow the scores. The splits of one piece produce
 *       the same token and can never compete for the same characters, so their order among
 *       themselves changes no encoding: transformers' {@code generate_merges} orders them by
 *       (left id, right id) instead; left to right is the order of the stories260K fixture;</li>
 *   <li>a {@code TemplateProcessing} post-processor adding {@code <s>}; special added tokens
 *       {@code <unk>}, {@code <s>}, {@code </s>};</li>
 *   <li>decoder {@code Replace("▁" → " ")}, {@code ByteFallback}, {@code Fuse}, {@code Strip} of
 *       one leading space (run.c drops the leading space of the piece after BOS).</li>
 * </ul>
 */
final class HfTokenizerJson {
    static final char SPACE = '\u2581';
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfTokenizerJson() {
    }

    static String write(Llama2cTokenizer t) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < 3; id++) {
            added.addObject().put("id", id).put("content", t.hfToken(id)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode normalizers = normalizer.putArray("normalizers");
        normalizers.addObject().put("type", "Prepend").put("prepend", String.valueOf(SPACE));
        replace(normalizers.addObject(), " ", String.valueOf(SPACE));
        root.putNull("pre_tokenizer");
        postProcessor(root.putObject("post_processor"));
        ObjectNode decoder = root.putObject("decoder").put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        replace(decoders.addObject(), String.valueOf(SPACE), " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        model(root.putObject("model"), t);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replace(ObjectNode node, String from, String to) {
        node.put("type", "Replace");
        node.putObject("pattern").put("String", from);
        node.put("content", to);
    }

    private static void postProcessor(ObjectNode p) {
        p.put("type", "TemplateProcessing");
        ArrayNode single = p.putArray("single");
        special(single, 0);
        sequence(single, "A", 0);
        ArrayNode pair = p.putArray("pair");
        special(pair, 0);
        sequence(pair, "A", 0);
        special(pair, 1);
        sequence(pair, "B", 1);
        ObjectNode bos = p.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>");
        bos.putArray("ids").add(1);
        bos.putArray("tokens").add("<s>");
    }

    private static void special(ArrayNode template, int typeId) {
        template.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", typeId);
    }

    private static void sequence(ArrayNode template, String id, int typeId) {
        template.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
    }

    private static void model(ObjectNode m, Llama2cTokenizer t) {
        m.put("type", "BPE");
        m.putNull("dropout");
        m.put("unk_token", "<unk>");
        m.putNull("continuing_subword_prefix");
        m.putNull("end_of_word_suffix");
        m.put("fuse_unk", true);
        m.put("byte_fallback", true);
        m.put("ignore_merges", false);
        ObjectNode vocab = m.putObject("vocab");
        for (int id = 0; id < t.vocabSize(); id++) {
            vocab.put(t.hfToken(id), id);
        }
        ArrayNode merges = m.putArray("merges");
        for (Merge merge : merges(t)) {
            merges.addArray().add(merge.left).add(merge.right);
        }
    }

    private record Merge(String left, String right, float score) {
    }

    /** See the class comment. The special tokens score 0, as LlamaConverter gives them. */
    private static List<Merge> merges(Llama2cTokenizer t) {
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < t.vocabSize(); id++) {
            ids.put(t.hfToken(id), id);
        }
        List<Merge> all = new ArrayList<>();
        for (int id = 0; id < t.vocabSize(); id++) {
            String token = t.hfToken(id);
            float score = id < 3 ? 0f : t.score(id);
            for (int cut = token.offsetByCodePoints(0, 1); cut < token.length(); cut = token.offsetByCodePoints(cut, 1)) {
                String left = token.substring(0, cut);
                String right = token.substring(cut);
                if (ids.containsKey(left) && ids.containsKey(right)) {
                    all.add(new Merge(left, right, score));
                }
            }
        }
        // Stable, and -0.0 ties with 0.0 as in Python (Float.compare would order them).
        all.sort((a, b) -> a.score > b.score ? -1 : a.score < b.score ? 1 : 0);
        return all;
    }
}
