package dev.spotlight.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.tasks.Reranker;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
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

/** {@code spotlight rerank}: documents sorted by a cross-encoder's relevance to a query. */
@Command(name = "rerank", mixinStandardHelpOptions = true,
        description = "Rank documents by relevance to a query with a cross-encoder (one-label …ForSequenceClassification).")
public final class RerankCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TaskOptions task;

    @Parameters(paramLabel = "DOCUMENT", arity = "0..*", description = "Documents to rank (or --input: one per line, or .jsonl \"text\").")
    List<String> documents = new ArrayList<>();

    @Option(names = "--query", required = true, paramLabel = "Q", description = "The query.")
    String query;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "all", description = "How many documents to list, or \"all\" (default).")
    String topK;

    @Override
    public Integer call() throws IOException {
        task.check(spec.commandLine(), !documents.isEmpty(), "documents");
        Integer k = ClassifyCommand.topK(spec, topK);
        List<ObjectNode> rows = task.rows(documents, "text");
        try (TaskModel model = task.load(Task.SEQUENCE_CLASSIFICATION)) {
            Reranker.Result r = new Reranker(model).rank(query, rows.stream().map(d -> d.get("text").asText()).toList(), k,
                    task.capture());
            ObjectNode record = TaskOptions.JSON.createObjectNode().put("query", query);
            ArrayNode ranking = record.putArray("ranking");
            List<String> readable = new ArrayList<>();
            readable.add("query: " + query);
            TaskViewer viewer = task.viewer();
            for (int i = 0; i < r.ranking().size(); i++) {
                Reranker.Ranked d = r.ranking().get(i);
                ObjectNode entry = rows.get(d.corpusId()).deepCopy();
                entry.put("corpus_id", d.corpusId()).put("score", d.score());
                ranking.add(entry);
                readable.add(String.format(Locale.ROOT, "  %d. %.4f  [%d] %s", i + 1, d.score(), d.corpusId(), d.text()));
                String prediction = String.format(Locale.ROOT, "rank %d, score %.4f", i + 1, d.score());
                viewer.add(r.run(d.corpusId()), r.sequence(d.corpusId()), query + " | " + d.text(),
                        () -> ClassifyCommand.firstTokenMarks(r.run(d.corpusId()), r.sequence(d.corpusId()), prediction));
            }
            task.emit(spec.commandLine(), List.of(record), readable);
            task.writeView(spec.commandLine(), model, viewer);
        }
        return 0;
    }
}
