package dev.spotlight.models.tasks;

import dev.spotlight.models.Capture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Reranking with a cross-encoder, as sentence-transformers' {@code CrossEncoder.rank} does: every
 * (query, document) pair through a one-label {@code …ForSequenceClassification} (longest-first
 * truncation at the model's length), the logit through the model's activation (config.json's
 * {@code sentence_transformers.activation_fn} or {@code sbert_ce_default_activation_function};
 * Sigmoid when neither is given), documents sorted by score (ties keep their order), cut to top_k.
 */
public final class Reranker {
    private static final String SIGMOID = "torch.nn.modules.activation.Sigmoid";
    private static final String IDENTITY = "torch.nn.modules.linear.Identity";

    /** A document's place in the input ({@code corpus_id}), its score and text. */
    public record Ranked(int corpusId, double score, String text) {
    }

    /** Documents best first, and the forward passes ({@link TaskModel#BATCH} pairs each) that scored them. */
    public record Result(String query, List<Ranked> ranking, List<TaskModel.Run> runs) {
        /** The forward pass holding document {@code corpusId}'s pair. */
        public TaskModel.Run run(int corpusId) {
            return runs.get(corpusId / TaskModel.BATCH);
        }

        /** Which sequence of {@link #run} is document {@code corpusId}'s pair. */
        public int sequence(int corpusId) {
            return corpusId % TaskModel.BATCH;
        }
    }

    private final TaskModel model;
    private final boolean sigmoid;

    public Reranker(TaskModel model) {
        if (model.task() != Task.SEQUENCE_CLASSIFICATION) {
            throw new IllegalArgumentException(model.name() + " is a " + model.task().description()
                    + " model, expected a cross-encoder (…ForSequenceClassification with one label)");
        }
        if (model.labels().size() != 1) {
            throw new IllegalArgumentException(model.name() + " has " + model.labels().size() + " labels " + model.labels()
                    + ", expected a cross-encoder with one score per pair (num_labels 1)");
        }
        String activation = model.taskConfig().crossEncoderActivation();
        if (activation != null && !activation.equals(SIGMOID) && !activation.equals(IDENTITY)) {
            throw new IllegalArgumentException(model.name() + ": config.json cross-encoder activation \"" + activation
                    + "\" is not supported, expected " + SIGMOID + " or " + IDENTITY);
        }
        this.model = model;
        this.sigmoid = activation == null || activation.equals(SIGMOID);
    }

    /** @param topK null for all documents */
    public Result rank(String query, List<String> documents, Integer topK, Capture capture) {
        if (query == null) {
            throw new IllegalArgumentException("no query given: reranking needs a query and documents");
        }
        Inputs.requireNonEmpty(documents, "documents");
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException("top_k " + topK + " is less than 1");
        }
        List<TaskModel.Run> runs = new ArrayList<>();
        List<Ranked> ranking = new ArrayList<>();
        for (int from = 0; from < documents.size(); from += TaskModel.BATCH) {
            List<String> chunk = documents.subList(from, Math.min(documents.size(), from + TaskModel.BATCH));
            TaskModel.Run run = TextClassification.forward(model, Collections.nCopies(chunk.size(), query), chunk, capture);
            runs.add(run);
            for (int d = 0; d < chunk.size(); d++) {
                double logit = run.logits(d, -1)[0];
                ranking.add(new Ranked(from + d, sigmoid ? 1 / (1 + Math.exp(-logit)) : logit, chunk.get(d)));
            }
        }
        ranking.sort(Comparator.comparingDouble(Ranked::score).reversed());
        List<Ranked> top = topK == null ? ranking : ranking.subList(0, Math.min(topK, ranking.size()));
        return new Result(query, List.copyOf(top), List.copyOf(runs));
    }
}
