package dev.spotlight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

    private static String saveStage(SpotlightEmbedder stage, Path path) throws Exception {
        stage.save(path.toString());
        return path.toString();
    }
}
