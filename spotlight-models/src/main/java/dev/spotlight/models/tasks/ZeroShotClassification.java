package dev.spotlight.models.tasks;

import dev.spotlight.models.Capture;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.TokenizerException;
import dev.spotlight.tokenizers.Truncation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Zero-shot classification through an NLI model, with the semantics of transformers'
 * {@code ZeroShotClassificationPipeline}: each candidate label becomes the hypothesis
 * {@code hypothesis_template.format(label)} paired with the sequence (truncated only on the sequence);
 * the entailment logit (the first label2id entry starting with "entail") is softmaxed over the labels,
 * or, with {@code multi_label} or a single label, against the contradiction logit (index 0, or the
 * last when entailment is 0) for each label alone. Labels come back best first; equal scores keep
 * the later label first, as Python's reversed argsort does.
 */
public final class ZeroShotClassification {
    public record Options(String hypothesisTemplate, boolean multiLabel) {
        public static final Options DEFAULTS = new Options("This example is {}.", false);
    }

    /** Labels best first with their scores, and the forward pass (sequence i of the run is label i's pair). */
    public record Result(String sequence, List<String> labels, List<Double> scores, TaskModel.Run run) {
    }

    private final TaskModel model;
    private final int entailment;

    public ZeroShotClassification(TaskModel model) {
        if (model.task() != Task.SEQUENCE_CLASSIFICATION) {
            throw new IllegalArgumentException(model.name() + " is a " + model.task().description()
                    + " model, expected an NLI …ForSequenceClassification");
        }
        this.model = model;
        this.entailment = model.taskConfig().label2id().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).startsWith("entail")).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(model.name() + ": config.json label2id " + model.taskConfig()
                        .label2id().keySet() + " has no label starting with \"entail\": zero-shot classification needs an NLI model"));
    }

    /** Python's parsing of a label string: split at commas, blanks dropped. */
    public static List<String> parseLabels(String labels) {
        return Arrays.stream(labels.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public Result classify(String sequence, List<String> candidateLabels, Options options, Capture capture) {
        if (sequence == null || candidateLabels == null || candidateLabels.isEmpty()) {
            throw new IllegalArgumentException("no candidate labels given: zero-shot classification needs at least one label and a sequence");
        }
        Inputs.requireNonEmpty(candidateLabels, "candidate labels");
        String template = options.hypothesisTemplate();
        if (format(template, candidateLabels.getFirst()).equals(template)) {
            throw new IllegalArgumentException("the hypothesis template \"" + template + "\" was not able to be formatted with the"
                    + " labels: put {} where the label goes");
        }
        List<Encoding> encodings = new ArrayList<>(candidateLabels.size());
        for (String label : candidateLabels) {
            encodings.add(encode(sequence, format(template, label)));
        }
        TaskModel.Run run = model.run(encodings, capture);
        double[] scores = scores(run, candidateLabels.size(), options.multiLabel());
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = order.length - 1 - i;  // later label first among equals
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        List<String> labels = new ArrayList<>();
        List<Double> sorted = new ArrayList<>();
        for (int i : order) {
            labels.add(candidateLabels.get(i));
            sorted.add(scores[i]);
        }
        return new Result(sequence, List.copyOf(labels), List.copyOf(sorted), run);
    }

    double[] scores(TaskModel.Run run, int labels, boolean multiLabel) {
        double[] out = new double[labels];
        if (multiLabel || labels == 1) {
            int contradiction = entailment == 0 ? run.width() - 1 : 0;
            for (int i = 0; i < labels; i++) {
                float[] logits = run.logits(i, -1);
                out[i] = TokenClassification.softmax(new float[] {logits[contradiction], logits[entailment]})[1];
            }
            return out;
        }
        float[] entail = new float[labels];
        for (int i = 0; i < labels; i++) {
            entail[i] = run.logits(i, -1)[entailment];
        }
        return TokenClassification.softmax(entail);
    }

    /** The pair, truncated only on the sequence; when even that cannot fit, untruncated (as Python retries). */
    private Encoding encode(String sequence, String hypothesis) {
        Truncation onlyFirst = new Truncation(model.maxLength(), Truncation.Strategy.OnlyFirst,
                dev.spotlight.tokenizers.Direction.Right, 0);
        try {
            return model.tokenizer().encode(sequence, hypothesis, new EncodeOptions(true, null, onlyFirst));
        } catch (TokenizerException e) {
            if (!e.getMessage().contains("too short")) {
                throw e;
            }
            return model.tokenizer().encode(sequence, hypothesis, new EncodeOptions(true, null, null));
        }
    }

    /** Python's {@code str.format} with one argument: {} or {0} take the label, {{ and }} are braces. */
    static String format(String template, String label) {
        StringBuilder out = new StringBuilder();
        int automatic = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                out.append(c);
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                String field = close < 0 ? null : template.substring(i + 1, close);
                if (field == null || !(field.isEmpty() || field.equals("0")) || (field.isEmpty() && automatic++ > 0)) {
                    throw new IllegalArgumentException("the hypothesis template \"" + template + "\" has a field other than one {}"
                            + " or {0}: it is formatted with the label alone");
                }
                out.append(label);
                i = close;
            } else if (c == '}') {
                throw new IllegalArgumentException("the hypothesis template \"" + template + "\" has a single '}': write }} for a brace");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
