package dev.spotlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.QuestionAnswering;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.view.html.TokenMark;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spotlight qa}: extractive question answering with transformers' pipeline semantics. */
@Command(name = "qa", mixinStandardHelpOptions = true,
        description = "Answer a question from a context with a …ForQuestionAnswering model.")
public final class QaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TaskOptions task;

    @Parameters(paramLabel = "QUESTION CONTEXT", arity = "0..2", description = "The question and the context (or --input .jsonl"
            + " with \"question\" and \"context\").")
    List<String> pair = new ArrayList<>();

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "1", description = "Answers per question (default 1).")
    int topK;

    @Option(names = "--doc-stride", paramLabel = "N", defaultValue = "-1",
            description = "Tokens a context window repeats from the previous one (default min(max-seq-len / 2, 128)).")
    int docStride;

    @Option(names = "--max-answer-len", paramLabel = "N", defaultValue = "15", description = "Longest answer in tokens (default 15).")
    int maxAnswerLen;

    @Option(names = "--max-seq-len", paramLabel = "N", defaultValue = "-1",
            description = "Tokens per window, question included (default min(model_max_length, 384)).")
    int maxSeqLen;

    @Option(names = "--handle-impossible-answer", description = "Also offer the empty answer, scored by [CLS].")
    boolean impossible;

    @Option(names = "--no-align-to-words", description = "Answer with the span's own characters, not whole words.")
    boolean noAlign;

    @Override
    public Integer call() throws IOException {
        if (!pair.isEmpty() && pair.size() != 2) {
            throw new ParameterException(spec.commandLine(), "give a QUESTION and a CONTEXT (found " + pair.size() + " argument)");
        }
        task.check(spec.commandLine(), !pair.isEmpty(), "a QUESTION and a CONTEXT");
        QuestionAnswering.Options options;
        try {
            options = new QuestionAnswering.Options(topK, docStride, maxAnswerLen, maxSeqLen, impossible, !noAlign);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<ObjectNode> rows = pair.isEmpty() ? TextInputs.read(task.input, "question")
                : List.of(TaskOptions.JSON.createObjectNode().put("question", pair.get(0)).put("context", pair.get(1)));
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).path("context").isTextual()) {
                throw new ParameterException(spec.commandLine(), task.input + ":" + (i + 1) + ": expected a string \"context\" beside"
                        + " the question");
            }
        }
        try (TaskModel model = task.load(Task.QUESTION_ANSWERING)) {
            QuestionAnswering qa = new QuestionAnswering(model);
            List<ObjectNode> records = new ArrayList<>();
            List<String> readable = new ArrayList<>();
            TaskViewer viewer = task.viewer();
            for (ObjectNode row : rows) {
                String question = row.get("question").asText();
                String context = row.get("context").asText();
                // the answers alone: a long context's windows run in many passes, none of which need be kept
                List<QuestionAnswering.Answer> answers = qa.answer(question, context, options);
                ObjectNode record = row.deepCopy();
                ArrayNode array = record.putArray("answers");
                readable.add("Q: " + question);
                for (QuestionAnswering.Answer a : answers) {
                    array.addObject().put("score", a.score()).put("start", a.start()).put("end", a.end()).put("answer", a.answer());
                    readable.add(String.format(Locale.ROOT, "  %.4f  \"%s\"  chars %d-%d", a.score(), a.answer(), a.start(), a.end()));
                }
                records.add(record);
                if (task.capture() != Capture.NONE) {
                    view(viewer, model, qa.windows(question, context, options), question, answers);
                }
            }
            task.emit(spec.commandLine(), records, readable);
            task.writeView(spec.commandLine(), model, viewer);
        }
        return 0;
    }

    /**
     * Every window of a context of up to {@link TaskViewer#VIEWED_WINDOWS}, else only the best answer's; the
     * best answer's span marked in its window with the question tokens it attended to most.
     */
    private static void view(TaskViewer viewer, TaskModel model, List<Encoding> windows, String question,
                             List<QuestionAnswering.Answer> answers) {
        QuestionAnswering.Answer best = answers.isEmpty() || answers.getFirst().window() < 0 ? null : answers.getFirst();
        viewer.addWindows(model, windows, () -> List.of(best == null ? 0 : best.window()),
                window -> question + " | window " + (window + 1) + " of " + windows.size(),
                (run, sequence, window) -> best == null || best.window() != window ? List.of()
                        : answerMarks(run, sequence, best));
    }

    private static List<TokenMark> answerMarks(TaskModel.Run run, int sequence, QuestionAnswering.Answer best) {
        List<Integer> span = IntStream.rangeClosed(best.startToken(), best.endToken()).boxed().toList();
        Encoding e = run.encodings().get(sequence);
        int[] sequenceIds = e.sequenceIds();
        int answerSide = sequenceIds[best.startToken()];
        List<Integer> question = TaskViewer.attended(run, sequence, span,
                k -> sequenceIds[k] >= 0 && sequenceIds[k] != answerSide && TaskViewer.words(e).test(k));
        return List.of(new TokenMark("answer " + best.answer(), span),
                new TokenMark(TaskViewer.attendedLabel("the answer") + " in the question", question));
    }
}
