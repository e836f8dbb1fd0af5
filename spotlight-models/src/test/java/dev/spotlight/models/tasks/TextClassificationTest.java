package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.models.Capture;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.tasks.TextClassification.Function;
import dev.spotlight.models.tasks.TextClassification.Options;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * text-classification's function_to_apply (and its default from problem_type and the label count),
 * top_k and ordering, and reranking's activation and sort, on logits whose scores are worked out by hand.
 */
class TextClassificationTest {
    private static final double EPS = 1e-12;

    @TempDir
    Path dir;

    private TextClassification classifier(List<String> labels, Consumer<ObjectNode> config) {
        return new TextClassification(TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir.resolve(labels.size() + "-"
                + System.nanoTime()), "BertForSequenceClassification", labels, config)), null));
    }

    private static final List<String> THREE = List.of("neg", "neutral", "pos");
    private static final float[] LOGITS = {1f, -2f, 3f};

    @Test
    void severalLabelsDefaultToSoftmaxSortedBestFirst() {
        List<LabelScore> scores = classifier(THREE, c -> { }).scores(LOGITS, new Options(Function.DEFAULT, null));
        double z = Math.exp(1) + Math.exp(-2) + Math.exp(3);
        assertEquals(List.of("pos", "neg", "neutral"), scores.stream().map(LabelScore::label).toList());
        assertEquals(Math.exp(3) / z, scores.get(0).score(), EPS);
        assertEquals(Math.exp(-2) / z, scores.get(2).score(), EPS);
    }

    @Test
    void multiLabelProblemsAndSingleLabelsDefaultToSigmoidRegressionToNone() {
        List<LabelScore> multi = classifier(THREE, c -> c.put("problem_type", "multi_label_classification"))
                .scores(LOGITS, Options.DEFAULTS);
        assertEquals(1, multi.size());
        assertEquals(new LabelScore("pos", 1 / (1 + Math.exp(-3))).label(), multi.getFirst().label());
        assertEquals(1 / (1 + Math.exp(-3)), multi.getFirst().score(), EPS);
        List<LabelScore> single = classifier(List.of("score"), c -> { }).scores(new float[] {-0.5f}, Options.DEFAULTS);
        assertEquals(1 / (1 + Math.exp(0.5)), single.getFirst().score(), EPS);
        List<LabelScore> regression = classifier(List.of("value"), c -> c.put("problem_type", "regression"))
                .scores(new float[] {-0.5f}, Options.DEFAULTS);
        assertEquals(-0.5, regression.getFirst().score(), EPS);
    }

    @Test
    void anExplicitFunctionOverridesTheDefaultAndTopKCuts() {
        TextClassification c = classifier(THREE, x -> { });
        assertEquals(List.of(new LabelScore("pos", 3), new LabelScore("neg", 1)), c.scores(LOGITS, new Options(Function.NONE, 2)));
        List<LabelScore> sigmoid = c.scores(LOGITS, new Options(Function.parse("sigmoid"), null));
        assertEquals(1 / (1 + Math.exp(2)), sigmoid.get(2).score(), EPS);
        assertEquals("function_to_apply 'tanh' is not one of default, sigmoid, softmax, none",
                assertThrows(IllegalArgumentException.class, () -> Function.parse("tanh")).getMessage());
    }

    @Test
    void equalScoresKeepTheLabelOrder() {
        List<LabelScore> scores = classifier(THREE, c -> { }).scores(new float[] {2f, 2f, 2f}, new Options(Function.SOFTMAX, null));
        assertEquals(List.of("neg", "neutral", "pos"), scores.stream().map(LabelScore::label).toList());
    }

    @Test
    void pairsGoThroughTheModelAsOnePairEach() {
        TextClassification c = classifier(THREE, x -> { });
        List<TextClassification.Result> results = c.classify(List.of("the cat", "john"), List.of("sat", "lives in paris"),
                new Options(Function.NONE, null), Capture.NONE);
        assertEquals(List.of("[CLS]", "the", "cat", "[SEP]", "sat", "[SEP]"), results.get(0).run().encodings().get(0).tokens());
        float[] logits = results.get(1).run().logits(1, -1);
        assertEquals(logits[THREE.indexOf(results.get(1).labels().getFirst().label())], results.get(1).labels().getFirst().score(), 0);
        assertEquals("2 texts but 1 pair texts: give one pair per text", assertThrows(IllegalArgumentException.class,
                () -> c.classify(List.of("a", "b"), List.of("c"), Options.DEFAULTS, Capture.NONE)).getMessage());
    }

    @Test
    void theRerankerSortsDocumentsBySigmoidOfTheirLogitOrTheRawLogit() {
        TaskModel model = TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir.resolve("ce"), "BertForSequenceClassification",
                List.of("LABEL_0"), c -> { })), null);
        List<String> docs = List.of("the cat sat on the mat", "john lives in paris", "paris is a city", "the cat");
        Reranker.Result result = new Reranker(model).rank("where does john live?", docs, null, Capture.NONE);
        TextClassification raw = new TextClassification(model);
        for (Reranker.Ranked r : result.ranking()) {
            double logit = raw.classify(List.of("where does john live?"), List.of(r.text()), new Options(Function.NONE, null),
                    Capture.NONE).getFirst().labels().getFirst().score();
            assertEquals(1 / (1 + Math.exp(-logit)), r.score(), 1e-7);
            assertEquals(docs.get(r.corpusId()), r.text());
        }
        for (int i = 1; i < result.ranking().size(); i++) {
            assertEquals(true, result.ranking().get(i - 1).score() >= result.ranking().get(i).score());
        }
        assertEquals(2, new Reranker(model).rank("q", docs, 2, Capture.NONE).ranking().size());
        List<String> many = new java.util.ArrayList<>(java.util.Collections.nCopies(TaskModel.BATCH + 3, "the cat"));
        many.set(TaskModel.BATCH + 1, "john lives in paris");
        Reranker.Result chunked = new Reranker(model).rank("where does john live?", many, null, Capture.NONE);
        assertEquals(2, chunked.runs().size());
        Reranker.Ranked paris = chunked.ranking().stream().filter(x -> x.corpusId() == TaskModel.BATCH + 1).findFirst().orElseThrow();
        assertEquals(result.ranking().stream().filter(x -> x.corpusId() == 1).findFirst().orElseThrow().score(), paris.score(), 0);
        assertEquals(1, chunked.sequence(paris.corpusId()));
        TaskModel identity = TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir.resolve("ce-id"),
                "BertForSequenceClassification", List.of("LABEL_0"),
                c -> c.put("sbert_ce_default_activation_function", "torch.nn.modules.linear.Identity"))), null);
        Reranker.Ranked top = new Reranker(identity).rank("q", List.of("the cat"), null, Capture.NONE).ranking().getFirst();
        assertEquals(new TextClassification(identity).classify(List.of("q"), List.of("the cat"), new Options(Function.NONE, null),
                Capture.NONE).getFirst().labels().getFirst().score(), top.score(), 0);
    }

    @Test
    void aRerankerNeedsOneLabel() {
        TaskModel three = TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir.resolve("nli"), "BertForSequenceClassification",
                THREE, c -> { })), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Reranker(three));
        assertEquals("nli has 3 labels [neg, neutral, pos], expected a cross-encoder with one score per pair (num_labels 1)",
                e.getMessage());
        assertEquals("no documents given: at least one is needed", assertThrows(IllegalArgumentException.class,
                () -> new Reranker(TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir.resolve("one"),
                        "BertForSequenceClassification", List.of("LABEL_0"), c -> { })), null)).rank("q", List.of(), null,
                        Capture.NONE)).getMessage());
    }
}
