package dev.spotlight.models.tasks;

import dev.spotlight.models.Capture;
import dev.spotlight.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Text (and text pair) classification with the semantics of transformers'
 * {@code TextClassificationPipeline}: {@code function_to_apply} defaults from config.json (none for
 * problem_type regression; sigmoid for multi_label_classification or a single label; softmax
 * otherwise), labels sorted by score (ties keep label order) and cut to {@code top_k}. Inputs are
 * truncated at the model's length (Python does not truncate and fails past it).
 */
public final class TextClassification {
    /** {@code function_to_apply}; DEFAULT resolves from config.json as described above. */
    public enum Function {
        DEFAULT, SIGMOID, SOFTMAX, NONE;

        public static Function parse(String value) {
            String v = value.toLowerCase(Locale.ROOT);
            return switch (v) {
                case "default", "auto" -> DEFAULT;
                case "sigmoid" -> SIGMOID;
                case "softmax" -> SOFTMAX;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("function_to_apply '" + value
                        + "' is not one of default, sigmoid, softmax, none");
            };
        }
    }

    /** @param topK how many labels to keep; null keeps all (Python's top_k=None) */
    public record Options(Function function, Integer topK) {
        public static final Options DEFAULTS = new Options(Function.DEFAULT, 1);

        public Options {
            if (function == null) {
                throw new IllegalArgumentException("function_to_apply is null");
            }
            if (topK != null && topK < 1) {
                throw new IllegalArgumentException("top_k " + topK + " is less than 1");
            }
        }
    }

    /** The labels of one input, best first, and the forward pass. */
    public record Result(String text, String pair, List<LabelScore> labels, TaskModel.Run run, int sequence) {
    }

    private final TaskModel model;

    public TextClassification(TaskModel model) {
        if (model.task() != Task.SEQUENCE_CLASSIFICATION) {
            throw new IllegalArgumentException(model.name() + " is a " + model.task().description()
                    + " model, expected …ForSequenceClassification");
        }
        this.model = model;
    }

    public List<LabelScore> classify(String text, Options options) {
        return classify(List.of(text), null, options, Capture.NONE).getFirst().labels();
    }

    /** {@code pairs} null for single texts, else one second text per text. */
    public List<Result> classify(List<String> texts, List<String> pairs, Options options, Capture capture) {
        Inputs.requireNonEmpty(texts, "texts");
        if (pairs != null && pairs.size() != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + pairs.size() + " pair texts: give one pair per text");
        }
        List<Result> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += TaskModel.BATCH) {
            int to = Math.min(texts.size(), from + TaskModel.BATCH);
            TaskModel.Run run = forward(model, texts.subList(from, to), pairs == null ? null : pairs.subList(from, to), capture);
            for (int s = 0; s < to - from; s++) {
                out.add(new Result(texts.get(from + s), pairs == null ? null : pairs.get(from + s),
                        scores(run.logits(s, -1), options), run, s));
            }
        }
        return out;
    }

    /** The pipeline's postprocess on one sequence's logits. */
    List<LabelScore> scores(float[] logits, Options options) {
        double[] scores = apply(resolve(options.function()), logits);
        List<LabelScore> out = new ArrayList<>(scores.length);
        for (int c = 0; c < scores.length; c++) {
            out.add(new LabelScore(model.labels().get(c), scores[c]));
        }
        out.sort(Comparator.comparingDouble(LabelScore::score).reversed());
        return options.topK() == null ? List.copyOf(out) : List.copyOf(out.subList(0, Math.min(options.topK(), out.size())));
    }

    private Function resolve(Function f) {
        if (f != Function.DEFAULT) {
            return f;
        }
        String problem = model.taskConfig().problemType();
        if ("regression".equals(problem)) {
            return Function.NONE;
        }
        if ("multi_label_classification".equals(problem) || model.labels().size() == 1) {
            return Function.SIGMOID;
        }
        return Function.SOFTMAX;
    }

    static double[] apply(Function f, float[] logits) {
        double[] out = new double[logits.length];
        switch (f) {
            case SIGMOID -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = 1.0 / (1.0 + Math.exp(-logits[i]));
                }
            }
            case SOFTMAX -> out = TokenClassification.softmax(logits);
            default -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = logits[i];
                }
            }
        }
        return out;
    }

    /** Tokenizes texts (with pairs, longest-first truncation at the model's length) and runs the model. */
    static TaskModel.Run forward(TaskModel model, List<String> texts, List<String> pairs, Capture capture) {
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            encodings.add(model.tokenizer().encode(texts.get(i), pairs == null ? null : pairs.get(i), model.options()));
        }
        return model.run(encodings, capture);
    }
}
