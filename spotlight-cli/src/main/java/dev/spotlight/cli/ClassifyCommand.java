package dev.spotlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.tasks.LabelScore;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.models.tasks.TextClassification;
import dev.spotlight.view.html.TokenMark;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spotlight classify}: text (and text pair) classification with transformers' pipeline semantics. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify texts (or text pairs) with a …ForSequenceClassification model.")
public final class ClassifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TaskOptions task;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to classify.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--pair", paramLabel = "TEXT", description = "The second text: once for all texts, or once per text"
            + " (with --input: a \"text_pair\" field).")
    List<String> pairs;

    @Option(names = "--function", paramLabel = "F", defaultValue = "default",
            description = "default, softmax, sigmoid or none (transformers' function_to_apply).")
    String function;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "1", description = "Labels per text, or \"all\" (default 1).")
    String topK;

    @Override
    public Integer call() throws IOException {
        task.check(spec.commandLine(), !texts.isEmpty(), "texts");
        TextClassification.Options options;
        try {
            options = new TextClassification.Options(TextClassification.Function.parse(function), topK(spec, topK));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<ObjectNode> rows = task.rows(texts, "text");
        List<String> inputs = rows.stream().map(r -> r.get("text").asText()).toList();
        List<String> second = pairs(rows);
        try (TaskModel model = task.load(Task.SEQUENCE_CLASSIFICATION)) {
            List<TextClassification.Result> results = new TextClassification(model).classify(inputs, second, options, task.capture());
            List<ObjectNode> records = new ArrayList<>();
            List<String> readable = new ArrayList<>();
            TaskViewer viewer = task.viewer();
            for (int i = 0; i < results.size(); i++) {
                TextClassification.Result r = results.get(i);
                ObjectNode record = rows.get(i).deepCopy();
                if (r.pair() != null) {
                    record.put("text_pair", r.pair());
                }
                labels(record.putArray("labels"), r.labels());
                records.add(record);
                String caption = r.pair() == null ? r.text() : r.text() + " | " + r.pair();
                readable.add(caption);
                r.labels().forEach(l -> readable.add(String.format(Locale.ROOT, "  %-20s %.4f", l.label(), l.score())));
                String prediction = r.labels().getFirst().label() + String.format(Locale.ROOT, " %.4f", r.labels().getFirst().score());
                viewer.add(r.run(), r.sequence(), caption, () -> firstTokenMarks(r.run(), r.sequence(), prediction));
            }
            task.emit(spec.commandLine(), records, readable);
            task.writeView(spec.commandLine(), model, viewer);
        }
        return 0;
    }

    private List<String> pairs(List<ObjectNode> rows) {
        if (task.input != null) {
            boolean any = rows.stream().anyMatch(r -> r.has("text_pair"));
            if (!any) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (!rows.get(i).path("text_pair").isTextual()) {
                    throw new ParameterException(spec.commandLine(), task.input + ": row " + (i + 1) + " has no string \"text_pair\""
                            + " while others do");
                }
                out.add(rows.get(i).get("text_pair").asText());
            }
            return out;
        }
        if (pairs == null) {
            return null;
        }
        if (pairs.size() == 1) {
            return java.util.Collections.nCopies(rows.size(), pairs.getFirst());
        }
        if (pairs.size() != rows.size()) {
            throw new ParameterException(spec.commandLine(), rows.size() + " texts but " + pairs.size() + " --pair values: give one"
                    + " for all or one per text");
        }
        return pairs;
    }

    static Integer topK(CommandSpec spec, String value) {
        if (value.equalsIgnoreCase("all")) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--top-k '" + value + "' is not a number or \"all\"");
        }
    }

    static void labels(ArrayNode out, List<LabelScore> labels) {
        labels.forEach(l -> out.addObject().put("label", l.label()).put("score", l.score()));
    }

    /** A sequence head reads the first token: mark it with the prediction and the tokens it attended to most. */
    static List<TokenMark> firstTokenMarks(dev.spotlight.models.tasks.TaskModel.Run run, int sequence, String prediction) {
        List<Integer> attended = TaskViewer.attended(run, sequence, List.of(0), TaskViewer.words(run.encodings().get(sequence)));
        return List.of(new TokenMark(prediction + " (read from this token)", List.of(0)),
                new TokenMark(TaskViewer.attendedLabel("it"), attended));
    }
}
