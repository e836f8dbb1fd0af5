package dev.spotlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.models.tasks.TokenClassification;
import dev.spotlight.models.tasks.TokenClassification.Entity;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.view.html.TokenMark;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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

/** {@code spotlight ner}: named entities (any token classification) with transformers' pipeline semantics. */
@Command(name = "ner", mixinStandardHelpOptions = true,
        description = "Named entities / token labels of texts with a …ForTokenClassification model.")
public final class NerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TaskOptions task;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to label.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--aggregation", paramLabel = "S", defaultValue = "none",
            description = "none, simple, first, average or max (transformers' aggregation_strategy; default none).")
    String aggregation;

    @Option(names = "--ignore-labels", paramLabel = "L", defaultValue = "O",
            description = "Comma-separated labels left out of the result (default O; \"\" keeps all).")
    String ignoreLabels;

    @Option(names = "--stride", paramLabel = "N",
            description = "Label texts longer than the model too: overflow windows of the model's length, each repeating"
                    + " N tokens of the one before, entities merged (transformers' stride; needs an --aggregation other than none).")
    Integer stride;

    @Override
    public Integer call() throws IOException {
        task.check(spec.commandLine(), !texts.isEmpty(), "texts");
        TokenClassification.Aggregation strategy;
        try {
            strategy = TokenClassification.Aggregation.parse(aggregation);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--aggregation: " + e.getMessage());
        }
        TokenClassification.Options options;
        try {
            options = new TokenClassification.Options(strategy,
                    Arrays.stream(ignoreLabels.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(), stride);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--stride: " + e.getMessage());
        }
        List<ObjectNode> rows = task.rows(texts, "text");
        try (TaskModel model = task.load(Task.TOKEN_CLASSIFICATION)) {
            List<String> inputs = rows.stream().map(r -> r.get("text").asText()).toList();
            // the entities alone: a long text's windows run in many passes, none of which need be kept
            TokenClassification ner = new TokenClassification(model);
            List<TokenClassification.Result> results = ner.classify(inputs, options, Capture.NONE);
            List<ObjectNode> records = new ArrayList<>();
            List<String> readable = new ArrayList<>();
            TaskViewer viewer = task.viewer();
            for (int i = 0; i < results.size(); i++) {
                TokenClassification.Result r = results.get(i);
                records.add(record(rows.get(i).deepCopy(), r.entities()));
                readable.add(r.text());
                if (r.entities().isEmpty()) {
                    readable.add("  (no entities)");
                }
                for (Entity e : r.entities()) {
                    readable.add(String.format(Locale.ROOT, "  %-8s %.4f  %-20s chars %d-%d", e.label(), e.score(),
                            "\"" + e.word() + "\"", e.start(), e.end()));
                }
                if (task.capture() != Capture.NONE) {
                    view(viewer, model, ner.windows(r.text(), options), r);
                }
            }
            task.emit(spec.commandLine(), records, readable);
            task.writeView(spec.commandLine(), model, viewer);
        }
        return 0;
    }

    /**
     * Every window of a text of up to {@link TaskViewer#VIEWED_WINDOWS}, else the first that many that hold
     * an entity (the first window when none does), each window's entities marked.
     */
    private static void view(TaskViewer viewer, TaskModel model, List<Encoding> windows, TokenClassification.Result r) {
        int count = windows.size();
        viewer.addWindows(model, windows,
                () -> r.entities().stream().map(Entity::window).distinct().sorted().limit(TaskViewer.VIEWED_WINDOWS).toList(),
                window -> count == 1 ? r.text() : r.text() + " | window " + (window + 1) + " of " + count,
                (run, sequence, window) -> r.entities().stream().filter(e -> e.window() == window)
                        .map(e -> new TokenMark(e.label() + " " + e.word(), e.tokens())).toList());
    }

    /** Python's keys: entity, score, index, word, start, end; entity_group, score, word, start, end when grouped. */
    static ObjectNode record(ObjectNode row, List<Entity> entities) {
        ArrayNode out = row.putArray("entities");
        for (Entity e : entities) {
            ObjectNode o = out.addObject();
            o.put(e.grouped() ? "entity_group" : "entity", e.label());
            o.put("score", e.score());
            if (!e.grouped()) {
                o.put("index", e.index());
            }
            o.put("word", e.word()).put("start", e.start()).put("end", e.end());
        }
        return row;
    }
}
