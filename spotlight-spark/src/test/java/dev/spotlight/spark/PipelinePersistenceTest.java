package dev.spotlight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinePersistenceTest {

    @Test
    void aSavedAndReloadedPipelineGivesTheSameRows(@TempDir Path dir) throws Exception {
        List<String> texts = LocalSpark.texts(25);
        Dataset<Row> input = LocalSpark.unevenPartitions(texts);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new SpotlightTokenizer().setPadding("none").setMaxLength(32).setOutputCol("enc"),
            new SpotlightEmbedder().setBatchSize(5).setVectorType("array").setNormalization("l2").setOutputCol("vec"),
            new SpotlightAttentionSummary().setBatchSize(3).setMaxLength(64).setHandleInvalid("null").setErrorCol("why"),
        });
        PipelineModel fitted = pipeline.fit(input);
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        SpotlightEmbedder embedder = assertInstanceOf(SpotlightEmbedder.class, loaded.stages()[1]);
        assertEquals(5, embedder.getBatchSize());
        assertEquals("array", embedder.getVectorType());
        assertEquals("l2", embedder.getNormalization());
        assertEquals(fitted.stages()[1].uid(), embedder.uid());
        SpotlightAttentionSummary summary = assertInstanceOf(SpotlightAttentionSummary.class, loaded.stages()[2]);
        assertEquals("why", summary.getErrorCol());
        assertEquals(64, summary.getMaxLength());
        assertEquals("none", ((SpotlightTokenizer) loaded.stages()[0]).getPadding());

        Map<Integer, Row> before = SpotlightEmbedderTest.byId(fitted.transform(input));
        Map<Integer, Row> after = SpotlightEmbedderTest.byId(loaded.transform(input.repartition(3)));
        assertEquals(texts.size(), after.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(before.get(i), after.get(i), "row " + i);
        }
        assertEquals(List.of("id", "text", "enc", "vec", "attention", "why"), List.of(after.get(0).schema().fieldNames()));

        SpotlightEmbedder single = SpotlightEmbedder.load(saveStage(embedder, dir.resolve("embedder")));
        assertEquals(embedder.extractParamMap().toString(), single.extractParamMap().toString());
    }

    @Test
    void aSavedAndReloadedPipelineOfTaskStagesGivesTheSameRows(@TempDir Path dir) throws Exception {
        List<Row> rows = new ArrayList<>();
        List<String> texts = TaskFixtures.texts(10);
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i), "Who lives in New York?", texts.get((i + 1) % texts.size()),
                    texts.get(i).replaceFirst(" ", " [MASK] ")));
        }
        Dataset<Row> input = LocalSpark.unevenPartitions(new StructType().add("id", DataTypes.IntegerType, false)
                .add("text", DataTypes.StringType, true).add("question", DataTypes.StringType, true)
                .add("context", DataTypes.StringType, true).add("masked", DataTypes.StringType, true), rows);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
            new SpotlightTokenClassifier().setModel(TaskFixtures.path("ner")).setAggregationStrategy("average")
                .setIgnoreLabels(new String[] {"O", "B-MISC"}).setBatchSize(3),
            new SpotlightTextClassifier().setModel(TaskFixtures.path("toxic")).setTopK(0).setFunctionToApply("sigmoid"),
            new SpotlightQuestionAnswerer().setModel(TaskFixtures.path("qa")).setTopK(2).setMaxAnswerLen(5),
            new SpotlightZeroShotClassifier().setModel(TaskFixtures.path("nli")).setCandidateLabels(new String[] {"news", "sport"})
                .setMultiLabel(true),
            new SpotlightFillMask().setModel(TaskFixtures.path("mlm")).setInputCol("masked").setTopK(2)
                .setTargets(new String[] {"city", "paris"}),
            new SpotlightReranker().setModel(TaskFixtures.path("cross-encoder")).setInputCol("question").setPassageCol("text"),
        }).fit(input);
        String path = dir.resolve("tasks").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        assertEquals(List.of("O", "B-MISC"), List.of(((SpotlightTokenClassifier) loaded.stages()[0]).getIgnoreLabels()));
        assertEquals("average", ((SpotlightTokenClassifier) loaded.stages()[0]).getAggregationStrategy());
        assertEquals(0, ((SpotlightTextClassifier) loaded.stages()[1]).getTopK());
        assertEquals(5, ((SpotlightQuestionAnswerer) loaded.stages()[2]).getMaxAnswerLen());
        assertEquals(List.of("news", "sport"), List.of(((SpotlightZeroShotClassifier) loaded.stages()[3]).getCandidateLabels()));
        assertEquals("masked", ((SpotlightFillMask) loaded.stages()[4]).getInputCol());
        assertEquals("text", ((SpotlightReranker) loaded.stages()[5]).getPassageCol());

        Map<Integer, Row> before = SpotlightEmbedderTest.byId(fitted.transform(input));
        Map<Integer, Row> after = SpotlightEmbedderTest.byId(loaded.transform(input.repartition(4)));
        assertEquals(List.of("id", "text", "question", "context", "masked", "entities", "labels", "answers", "zero_shot", "fills", "score"),
                List.of(after.get(0).schema().fieldNames()));
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(before.get(i), after.get(i), "row " + i);
        }
    }

    private static String saveStage(SpotlightEmbedder stage, Path path) throws Exception {
        stage.save(path.toString());
        return path.toString();
    }
}
