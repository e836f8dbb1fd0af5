package dev.spotlight.models.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Tiny random BERT task checkpoints written as Hugging Face folders, with a small WordPiece
 * (or BPE) tokenizer: fixtures for the pipelines' post-processing, whose expected results the tests
 * compute by hand from logits they set themselves. The weights only need the right names and shapes.
 */
public final class TinyTasks {
    public static final int HIDDEN = 8;
    public static final List<String> WORDS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "john", "smith", "lives", "in",
            "new", "york", "mic", "##ro", "##soft", "works", "at", "the", "cat", "sat", "on", "mat", ".", ",", "?", "where",
            "does", "who", "paris", "is", "capital", "of", "france", "a", "city", "##s", "it", "was", "'", "t");

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyTasks() {
    }

    /** A WordPiece BERT folder whose config.json names {@code architecture} with {@code labels}; {@code config} adds keys. */
    public static Path folder(Path dir, String architecture, List<String> labels, Consumer<ObjectNode> config) {
        return write(dir, architecture, labels, config, wordPiece(), null, w -> { });
    }

    public static Path folder(Path dir, String architecture, List<String> labels, Consumer<ObjectNode> config, ObjectNode tokenizer,
                       ObjectNode tokenizerConfig) {
        return write(dir, architecture, labels, config, tokenizer, tokenizerConfig, w -> { });
    }


    public static TaskModel model(Path dir, String architecture, List<String> labels) {
        return TaskModel.from(ModelResolver.folder(folder(dir, architecture, labels, c -> { })), null);
    }

    private static Path write(Path dir, String architecture, List<String> labels, Consumer<ObjectNode> extra, ObjectNode tokenizer,
                              ObjectNode tokenizerConfig, Consumer<Map<String, TensorData>> weights) {
        int vocab = tokenizer.get("model").get("vocab").size();
        ObjectNode config = JSON.createObjectNode();
        config.putArray("architectures").add(architecture);
        config.put("model_type", "bert").put("vocab_size", vocab).put("hidden_size", HIDDEN).put("num_hidden_layers", 1)
                .put("num_attention_heads", 2).put("intermediate_size", 16).put("max_position_embeddings", 64)
                .put("type_vocab_size", 2);
        ObjectNode id2label = config.putObject("id2label");
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.get(i));
        }
        extra.accept(config);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Random random = new Random(architecture.hashCode() * 31L + labels.size());
        put(tensors, random, "bert.embeddings.word_embeddings.weight", vocab, HIDDEN);
        put(tensors, random, "bert.embeddings.position_embeddings.weight", 64, HIDDEN);
        put(tensors, random, "bert.embeddings.token_type_embeddings.weight", 2, HIDDEN);
        norm(tensors, "bert.embeddings.LayerNorm");
        String l = "bert.encoder.layer.0.";
        for (String m : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
            linear(tensors, random, l + m, HIDDEN, HIDDEN);
        }
        norm(tensors, l + "attention.output.LayerNorm");
        linear(tensors, random, l + "intermediate.dense", 16, HIDDEN);
        linear(tensors, random, l + "output.dense", HIDDEN, 16);
        norm(tensors, l + "output.LayerNorm");
        linear(tensors, random, "bert.pooler.dense", HIDDEN, HIDDEN);
        linear(tensors, random, "classifier", labels.size(), HIDDEN);
        linear(tensors, random, "qa_outputs", 2, HIDDEN);
        linear(tensors, random, "cls.predictions.transform.dense", HIDDEN, HIDDEN);
        norm(tensors, "cls.predictions.transform.LayerNorm");
        put(tensors, random, "cls.predictions.bias", vocab);
        weights.accept(tensors);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(config));
            Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizer));
            if (tokenizerConfig != null) {
                Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(tokenizerConfig));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return dir;
    }

    /**
     * A question-answering folder that finds {@code word} (one of {@link #WORDS}) and nothing else: every
     * embedding is zero but the word's, v = (1, -1, …), no position or type embeddings, the layer's two
     * output projections zero (so the residuals and LayerNorms carry v, and zeros, through unchanged), and
     * both rows of qa_outputs v: the word's start and end logits are v·v = 8, every other token's 0.
     * {@code paddingSide} "right" puts the question first, "left" the context.
     */
    public static Path answerFinder(Path dir, String word, String paddingSide) {
        float[] v = {1, -1, 1, -1, 1, -1, 1, -1}; // [HIDDEN]
        int vocab = WORDS.size();
        return write(dir, "BertForQuestionAnswering", List.of("LABEL_0", "LABEL_1"), c -> { }, wordPiece(),
                JSON.createObjectNode().put("padding_side", paddingSide), w -> {
                    float[] words = new float[vocab * HIDDEN]; // [vocab, hidden]
                    System.arraycopy(v, 0, words, WORDS.indexOf(word) * HIDDEN, HIDDEN);
                    w.put("bert.embeddings.word_embeddings.weight", TensorData.f32(words, vocab, HIDDEN));
                    w.put("bert.embeddings.position_embeddings.weight", TensorData.f32(new float[64 * HIDDEN], 64, HIDDEN));
                    w.put("bert.embeddings.token_type_embeddings.weight", TensorData.f32(new float[2 * HIDDEN], 2, HIDDEN));
                    for (String m : List.of("attention.output.dense", "output.dense")) {
                        long[] shape = w.get("bert.encoder.layer.0." + m + ".weight").shape();
                        w.put("bert.encoder.layer.0." + m + ".weight", TensorData.f32(new float[(int) (shape[0] * shape[1])], shape));
                        w.put("bert.encoder.layer.0." + m + ".bias", TensorData.f32(new float[HIDDEN], HIDDEN));
                    }
                    float[] head = new float[2 * HIDDEN]; // [start and end, hidden]
                    System.arraycopy(v, 0, head, 0, HIDDEN);
                    System.arraycopy(v, 0, head, HIDDEN, HIDDEN);
                    w.put("qa_outputs.weight", TensorData.f32(head, 2, HIDDEN));
                    w.put("qa_outputs.bias", TensorData.f32(new float[2], 2));
                });
    }

    /** BERT's uncased WordPiece pipeline over {@link #WORDS}: BertNormalizer, BertPreTokenizer, [CLS] … [SEP]. */
    public static ObjectNode wordPiece() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < 5; i++) {
            added.addObject().put("id", i).put("content", WORDS.get(i)).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true).put("handle_chinese_chars", true)
                .putNull("strip_accents").put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor").put("type", "BertProcessing");
        post.putArray("sep").add("[SEP]").add(3);
        post.putArray("cls").add("[CLS]").add(2);
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]")
                .put("continuing_subword_prefix", "##").put("max_input_chars_per_word", 100);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < WORDS.size(); i++) {
            vocab.put(WORDS.get(i), i);
        }
        return root;
    }

    /**
     * A BPE tokenizer without a continuing-subword prefix (Python's pipeline then falls back to its
     * space heuristic): whitespace pre-tokenizer, "Microsoft" → "Micro" + "soft" by its merges.
     */
    public static ObjectNode bpe() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        List<String> special = List.of("<s>", "<pad>", "</s>", "<unk>", "<mask>");
        for (int i = 0; i < special.size(); i++) {
            added.addObject().put("id", i).put("content", special.get(i)).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing").put("trim_offsets", true)
                .put("add_prefix_space", false);
        post.putArray("sep").add("</s>").add(2);
        post.putArray("cls").add("<s>").add(0);
        ObjectNode model = root.putObject("model").put("type", "BPE").put("unk_token", "<unk>");
        ObjectNode vocab = model.putObject("vocab");
        List<String> pieces = List.of("M", "i", "c", "r", "o", "s", "f", "t", "B", "l", "x", "Mi", "Mic", "Micr", "Micro", "so",
                "sof", "soft", "Bo", "Box", ".");
        for (int i = 0; i < special.size(); i++) {
            vocab.put(special.get(i), i);
        }
        for (int i = 0; i < pieces.size(); i++) {
            vocab.put(pieces.get(i), special.size() + i);
        }
        ArrayNode merges = model.putArray("merges");
        for (String m : List.of("M i", "Mi c", "Mic r", "Micr o", "s o", "so f", "sof t", "B o", "Bo x")) {
            merges.add(m);
        }
        return root;
    }

    private static void put(Map<String, TensorData> tensors, Random random, String name, long... shape) {
        int size = 1;
        for (long s : shape) {
            size *= (int) s;
        }
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (random.nextGaussian() * 0.5);
        }
        tensors.put(name, TensorData.f32(v, shape));
    }

    private static void linear(Map<String, TensorData> tensors, Random random, String module, int out, int in) {
        put(tensors, random, module + ".weight", out, in);
        put(tensors, random, module + ".bias", out);
    }

    private static void norm(Map<String, TensorData> tensors, String module) {
        float[] ones = new float[HIDDEN];
        java.util.Arrays.fill(ones, 1f);
        tensors.put(module + ".weight", TensorData.f32(ones, HIDDEN));
        tensors.put(module + ".bias", TensorData.f32(new float[HIDDEN], HIDDEN));
    }
}
