package dev.spotlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.models.tasks.ZeroShotClassification;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spotlight zero-shot}: classification into labels chosen now, through an NLI model. */
@Command(name = "zero-shot", mixinStandardHelpOptions = true,
        description = "Classify texts into the given labels with an NLI …ForSequenceClassification model.")
public final class ZeroShotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TaskOptions task;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to classify.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--labels", required = true, paramLabel = "L", description = "Comma-separated candidate labels.")
    String labels;

    @Option(names = "--template", paramLabel = "T", defaultValue = "This example is {}.",
            description = "The hypothesis; {} is replaced by each label (default \"This example is {}.\").")
    String template;

    @Option(names = "--multi-label", description = "Score each label alone (entailment vs contradiction).")
    boolean multiLabel;

    @Override
    public Integer call() throws IOException {
        task.check(spec.commandLine(), !texts.isEmpty(), "texts");
        List<String> candidates = ZeroShotClassification.parseLabels(labels);
        if (candidates.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--labels '" + labels + "' names no label");
        }
        List<ObjectNode> rows = task.rows(texts, "text");
        try (TaskModel model = task.load(Task.SEQUENCE_CLASSIFICATION)) {
            ZeroShotClassification zeroShot = new ZeroShotClassification(model);
            ZeroShotClassification.Options options = new ZeroShotClassification.Options(template, multiLabel);
            List<ObjectNode> records = new ArrayList<>();
            List<String> readable = new ArrayList<>();
            TaskViewer viewer = task.viewer();
            for (ObjectNode row : rows) {
                ZeroShotClassification.Result r = zeroShot.classify(row.get("text").asText(), candidates, options, task.capture());
                ObjectNode record = row.deepCopy();
                ArrayNode names = record.putArray("labels");
                ArrayNode scores = record.putArray("scores");
                readable.add(r.sequence());
                for (int i = 0; i < r.labels().size(); i++) {
                    names.add(r.labels().get(i));
                    scores.add(r.scores().get(i));
                    readable.add(String.format(Locale.ROOT, "  %-20s %.4f", r.labels().get(i), r.scores().get(i)));
                }
                records.add(record);
                for (int i = 0; i < candidates.size(); i++) {
                    int rank = r.labels().indexOf(candidates.get(i));
                    String prediction = candidates.get(i) + String.format(Locale.ROOT, " %.4f", r.scores().get(rank));
                    int pair = i;
                    viewer.add(r.run(), i, r.sequence() + " | " + candidates.get(i),
                            () -> ClassifyCommand.firstTokenMarks(r.run(), pair, prediction));
                }
            }
            task.emit(spec.commandLine(), records, readable);
            task.writeView(spec.commandLine(), model, viewer);
        }
        return 0;
    }
}
