package dev.spotlight.spark;

import static dev.spotlight.spark.SpotlightEmbedderTest.byId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.LabelScore;
import dev.spotlight.models.tasks.TextClassification;
import dev.spotlight.models.tasks.TokenClassification;
import dev.spotlight.models.tasks.TokenClassification.Aggregation;
import dev.spotlight.models.tasks.TokenClassification.Entity;
import dev.spotlight.models.tasks.ZeroShotClassification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Token, text and zero-shot classification stages: each row the library pipeline's result for it. */
class ClassifierStagesTest {

    @Test
    void entitiesAreTheLibrarysAcrossPartitionsAndBatchesForEveryAggregation() {
        List<String> texts = TaskFixtures.texts(30);
        TokenClassification ner = new TokenClassification(TaskFixtures.model("ner"));
        for (String aggregation : List.of("none", "simple", "first", "average", "max")) {
            List<String> ignore = aggregation.equals("none") ? List.of("O") : List.of();
            List<TokenClassification.Result> expected = ner.classify(texts,
                    new TokenClassification.Options(Aggregation.parse(aggregation), ignore), Capture.NONE);
            for (int batch : new int[] {3, 64}) {
                Map<Integer, Row> rows = byId(new SpotlightTokenClassifier().setModel(TaskFixtures.path("ner"))
                        .setAggregationStrategy(aggregation).setIgnoreLabels(ignore.toArray(new String[0])).setBatchSize(batch)
                        .transform(LocalSpark.unevenPartitions(texts)));
                int found = 0;
                for (int i = 0; i < texts.size(); i++) {
                    List<Row> got = rows.get(i).getList(rows.get(i).fieldIndex("entities"));
                    List<Entity> want = expected.get(i).entities();
                    String where = aggregation + " batch " + batch + " text " + i;
                    assertEquals(want.size(), got.size(), where);
                    for (int e = 0; e < got.size(); e++) {
                        Row g = got.get(e);
                        Entity w = want.get(e);
                        assertEquals(w.label(), g.getAs(aggregation.equals("none") ? "entity" : "entity_group"), where);
                        assertEquals(w.score(), (double) g.getAs("score"), where);
                        assertEquals(w.word(), g.getAs("word"), where);
                        assertEquals(w.start(), (int) g.getAs("start"), where);
                        assertEquals(w.end(), (int) g.getAs("end"), where);
                        if (aggregation.equals("none")) {
                            assertEquals(w.index(), (int) g.getAs("index"), where);
                        }
                    }
                    found += got.size();
                }
                assertTrue(found > texts.size(), aggregation + ": " + found + " entities");
            }
        }
    }

    @Test
    void aNullTextGivesNullEntitiesAndAnEmptyTextNone() {
        Map<Integer, Row> rows = byId(new SpotlightTokenClassifier().setModel(TaskFixtures.path("ner"))
                .transform(LocalSpark.unevenPartitions(Arrays.asList(null, "", "John Smith lives in New York."))));
        assertTrue(rows.get(0).isNullAt(rows.get(0).fieldIndex("entities")));
        assertEquals(List.of(), rows.get(1).getList(rows.get(1).fieldIndex("entities")));
        assertEquals(List.of("id", "text", "entities"), List.of(rows.get(2).schema().fieldNames()));
        assertEquals(List.of("entity", "score", "index", "word", "start", "end"),
                List.of(((StructType) ((org.apache.spark.sql.types.ArrayType) rows.get(2).schema().apply("entities").dataType())
                        .elementType()).fieldNames()), "transformers' keys");
    }

    @Test
    void textLabelsAreTheLibrarysWithAndWithoutPairs() {
        List<String> texts = TaskFixtures.texts(25);
        List<String> pairs = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String pair = i % 4 == 3 ? null : texts.get((i + 5) % texts.size());   // a null pair: the text alone
            pairs.add(pair);
            rows.add(RowFactory.create(i, texts.get(i), pair));
        }
        Dataset<Row> input = LocalSpark.unevenPartitions(new StructType().add("id", DataTypes.IntegerType, false)
                .add("text", DataTypes.StringType, true).add("pair", DataTypes.StringType, true), rows);
        // toxic: multi-label, so sigmoid by default; nli: softmax over its 3 labels
        check(input, texts, null, "toxic", "default", 0);
        check(input, texts, null, "toxic", "softmax", 2);
        check(input, texts, pairs, "nli", "default", 1);
        check(input, texts, pairs, "nli", "none", 0);
    }

    private static void check(Dataset<Row> input, List<String> texts, List<String> pairs, String model, String function, int topK) {
        TextClassification classifier = new TextClassification(TaskFixtures.model(model));
        List<TextClassification.Result> expected = classifier.classify(texts, pairs,
                new TextClassification.Options(TextClassification.Function.parse(function), topK == 0 ? null : topK), Capture.NONE);
        Map<Integer, Row> rows = byId(new SpotlightTextClassifier().setModel(TaskFixtures.path(model)).setPairCol(pairs == null ? "" : "pair")
                .setFunctionToApply(function).setTopK(topK).setBatchSize(4).transform(input));
        for (int i = 0; i < texts.size(); i++) {
            assertLabels(expected.get(i).labels(), rows.get(i).getList(rows.get(i).fieldIndex("labels")),
                    model + " " + function + " top " + topK + " text " + i);
        }
    }

    static void assertLabels(List<LabelScore> want, List<Row> got, String where) {
        assertEquals(want.size(), got.size(), where);
        for (int l = 0; l < got.size(); l++) {
            assertEquals(want.get(l).label(), got.get(l).getAs("label"), where);
            assertEquals(want.get(l).score(), (double) got.get(l).getAs("score"), where);
        }
    }

    @Test
    void zeroShotRanksTheSameLabelsForEveryRowOrEachRowsOwn() {
        List<String> texts = TaskFixtures.texts(12);
        ZeroShotClassification zsc = new ZeroShotClassification(TaskFixtures.model("nli"));
        ZeroShotClassification.Options multi = new ZeroShotClassification.Options("This text is about {}.", true);
        List<String> labels = List.of("politics", "sport", "science", "travel");
        Map<Integer, Row> shared = byId(new SpotlightZeroShotClassifier().setModel(TaskFixtures.path("nli"))
                .setCandidateLabels(labels.toArray(new String[0])).setBatchSize(5).transform(LocalSpark.unevenPartitions(texts)));
        Map<Integer, Row> multiLabel = byId(new SpotlightZeroShotClassifier().setModel(TaskFixtures.path("nli"))
                .setCandidateLabels(labels.toArray(new String[0])).setHypothesisTemplate(multi.hypothesisTemplate())
                .setMultiLabel(true).transform(LocalSpark.unevenPartitions(texts)));
        for (int i = 0; i < texts.size(); i++) {
            assertResult(zsc.classify(texts.get(i), labels, ZeroShotClassification.Options.DEFAULTS, Capture.NONE), shared.get(i));
            assertResult(zsc.classify(texts.get(i), labels, multi, Capture.NONE), multiLabel.get(i));
        }

        // each row's own labels: an array column, or a string of comma-separated labels as Python parses it
        List<Row> rows = new ArrayList<>();
        List<List<String>> own = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            List<String> mine = labels.subList(0, 1 + i % labels.size());
            own.add(mine);
            rows.add(RowFactory.create(i, texts.get(i), i == 4 ? null : mine.toArray(new String[0]),
                    i == 4 ? null : " " + String.join(" , ", mine) + ",, "));
        }
        Dataset<Row> input = LocalSpark.unevenPartitions(new StructType().add("id", DataTypes.IntegerType, false)
                .add("text", DataTypes.StringType, true).add("labels", DataTypes.createArrayType(DataTypes.StringType), true)
                .add("csv", DataTypes.StringType, true), rows);
        for (String column : List.of("labels", "csv")) {
            Map<Integer, Row> got = byId(new SpotlightZeroShotClassifier().setModel(TaskFixtures.path("nli")).setLabelsCol(column)
                    .setBatchSize(3).transform(input));
            for (int i = 0; i < texts.size(); i++) {
                if (i == 4) {
                    assertTrue(got.get(i).isNullAt(got.get(i).fieldIndex("zero_shot")), "null labels → null");
                } else {
                    assertResult(zsc.classify(texts.get(i), own.get(i), ZeroShotClassification.Options.DEFAULTS, Capture.NONE),
                            got.get(i));
                }
            }
        }
        assertEquals(1, ExecutorModels.loads("task", TaskFixtures.path("nli")), "one model for every task and stage of the JVM");
    }

    @Test
    void anEmptyListOfLabelsIsAnInvalidRow() {
        List<Row> rows = List.of(RowFactory.create(0, "fine", new String[] {"a", "b"}), RowFactory.create(1, "no labels", new String[0]));
        Dataset<Row> input = LocalSpark.unevenPartitions(new StructType().add("id", DataTypes.IntegerType, false)
                .add("text", DataTypes.StringType, true).add("labels", DataTypes.createArrayType(DataTypes.StringType), true), rows);
        Map<Integer, Row> got = byId(new SpotlightZeroShotClassifier().setModel(TaskFixtures.path("nli")).setLabelsCol("labels")
                .setHandleInvalid("null").setErrorCol("error").transform(input));
        assertNull(got.get(0).getAs("error"));
        String error = got.get(1).getAs("error");
        assertTrue(error.startsWith("SpotlightZeroShotClassifier(") && error.contains("row with text 'no labels'")
                && error.contains("no candidate labels given"), error);
        assertTrue(got.get(1).isNullAt(got.get(1).fieldIndex("zero_shot")));
    }

    private static void assertResult(ZeroShotClassification.Result want, Row row) {
        Row got = row.getStruct(row.fieldIndex("zero_shot"));
        assertEquals(want.labels(), got.getList(0), "row " + row.getAs("id"));
        assertEquals(want.scores(), got.getList(1), "row " + row.getAs("id"));
    }
}
