package dev.spotlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.tasks.FillMask;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
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

/** {@code spotlight fill-mask}: the most likely words for each mask token. */
@Command(name = "fill-mask", mixinStandardHelpOptions = true,
        description = "Fill the mask token(s) of texts with a …ForMaskedLM model.")
public final class FillMaskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TaskOptions task;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts with the model's mask token (e.g. [MASK]).")
    List<String> texts = new ArrayList<>();

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "5", description = "Proposals per mask (default 5).")
    int topK;

    @Option(names = "--targets", paramLabel = "W", description = "Comma-separated words to choose among instead of the vocabulary.")
    String targets;

    @Override
    public Integer call() throws IOException {
        task.check(spec.commandLine(), !texts.isEmpty(), "texts");
        FillMask.Options options;
        try {
            options = new FillMask.Options(topK, targets == null ? null
                    : java.util.Arrays.stream(targets.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<ObjectNode> rows = task.rows(texts, "text");
        try (TaskModel model = task.load(Task.MASKED_LM)) {
            FillMask fill = new FillMask(model);
            List<ObjectNode> records = new ArrayList<>();
            List<String> readable = new ArrayList<>();
            TaskViewer viewer = task.viewer();
            for (int i = 0; i < rows.size(); i++) {
                FillMask.Result r = fill.fill(rows.get(i).get("text").asText(), options, task.capture());
                ObjectNode record = rows.get(i).deepCopy();
                ArrayNode masks = record.putArray("masks");
                readable.add(r.text());
                List<TokenMark> marks = new ArrayList<>();
                for (int m = 0; m < r.masks().size(); m++) {
                    ArrayNode fills = masks.addArray();
                    for (FillMask.Fill f : r.masks().get(m)) {
                        fills.addObject().put("score", f.score()).put("token", f.token()).put("token_str", f.tokenStr())
                                .put("sequence", f.sequence());
                        readable.add(String.format(Locale.ROOT, "  %.4f  %-15s %s", f.score(), f.tokenStr(), f.sequence()));
                    }
                    FillMask.Fill best = r.masks().get(m).getFirst();
                    marks.add(new TokenMark("mask → " + best.tokenStr() + String.format(Locale.ROOT, " %.4f", best.score()),
                            List.of(r.maskTokens().get(m))));
                }
                records.add(record);
                viewer.add(r.run(), 0, r.text(), () -> marks);
            }
            task.emit(spec.commandLine(), records, readable);
            task.writeView(spec.commandLine(), model, viewer);
        }
        return 0;
    }
}
