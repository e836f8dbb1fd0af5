package dev.spotlight.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {

    @Test
    void anUnknownModelFailsTheJobNamingStageOptionAndValue() {
        String message = failure(new SpotlightEmbedder().setModel("no-such-model"));
        assertTrue(message.contains("SpotlightEmbedder(spotlightEmbedder_") && message.contains("model='no-such-model'")
                && message.contains("no such path on executor driver on host") && message.contains("not a built-in model (all-minilm-l6-v2"),
                message);
    }

    @Test
    void aPathMissingOnTheExecutorFailsTheJobNamingThePath() {
        String message = failure(new SpotlightAttentionSummary().setModel("/mnt/models/minilm"));
        assertTrue(message.contains("SpotlightAttentionSummary(") && message.contains("model='/mnt/models/minilm'")
                && message.contains("no such path on executor"), message);
        String tokenizer = failure(new SpotlightTokenizer().setModel("/mnt/models/tokenizer.json"));
        assertTrue(tokenizer.contains("SpotlightTokenizer(") && tokenizer.contains("model='/mnt/models/tokenizer.json'"), tokenizer);
    }

    @Test
    void aFileThatIsNoModelFailsTheJobWithTheLoadersReason(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("model.onnx"), "not an onnx file");
        String message = failure(new SpotlightEmbedder().setModel(bogus.toString()));
        assertTrue(message.contains("SpotlightEmbedder(") && message.contains("model='" + bogus + "'")
                && message.contains("cannot load " + bogus), message);
    }

    @Test
    void aModelShippedWithTheJobIsFoundBySparkFilesName() throws Exception {
        Path jar = LocalSpark.builtinJar();
        LocalSpark.session().sparkContext().addFile(jar.toString());
        List<String> texts = LocalSpark.texts(6);
        Map<Integer, Row> rows = SpotlightEmbedderTest.byId(new SpotlightEmbedder()
                .setModel(ModelLocation.SPARK_FILES + jar.getFileName()).transform(LocalSpark.unevenPartitions(texts)));
        float[][] expected = LocalSpark.model().embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            double[] got = ((Vector) rows.get(i).getAs("embedding")).toArray();
            for (int d = 0; d < got.length; d++) {
                assertEquals((double) expected[i][d], got[d]);
            }
        }
        String message = failure(new SpotlightEmbedder().setModel("sparkfiles:not-shipped.jar"));
        assertTrue(message.contains("model='sparkfiles:not-shipped.jar': not shipped with the job:")
                && message.contains("not-shipped.jar does not exist on executor"), message);
    }

    @Test
    void anInvalidRowFailsTheJobNamingTheRowUnlessTheOptionKeepsGoing() {
        Dataset<Row> input = LocalSpark.unevenPartitions(List.of("fine", "a b c d e f g h i j k l m n o p q r s t u v w x y z"));
        String message = failure(new SpotlightTokenizer().setMaxLength(8).setTruncate(false), input);
        assertTrue(message.contains("SpotlightTokenizer(") && message.contains("row with text 'a b c d e f")
                && message.contains("more than 8 tokens (maxLength=8, truncate=false)")
                && message.contains("set it to 'null' to keep going"), message);
        Map<Integer, Row> rows = SpotlightEmbedderTest.byId(new SpotlightTokenizer().setMaxLength(8).setTruncate(false).setPadding("none")
                .setHandleInvalid("null").transform(input));
        assertTrue(rows.get(1).isNullAt(rows.get(1).fieldIndex("encoding")));
        assertEquals(List.of(101, 2986, 102), rows.get(0).getStruct(rows.get(0).fieldIndex("encoding")).getList(0), "[CLS] fine [SEP], unpadded");
    }

    @Test
    void badOptionsAndColumnsAreRefusedBeforeAnyJob() {
        Dataset<Row> input = LocalSpark.unevenPartitions(List.of("x"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SpotlightEmbedder().setBatchSize(0))
                .getMessage().contains("batchSize given invalid value 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SpotlightEmbedder().setHandleInvalid("skip"))
                .getMessage().contains("handleInvalid given invalid value skip"));
        String wrongType = assertThrows(SpotlightSparkException.class, () -> new SpotlightEmbedder().setInputCol("id")
                .transform(input)).getMessage();
        assertTrue(wrongType.contains("inputCol='id': expected a string column, found int"), wrongType);
        String taken = assertThrows(SpotlightSparkException.class, () -> new SpotlightEmbedder().setOutputCol("text")
                .transform(input)).getMessage();
        assertTrue(taken.contains("outputCol='text': the input already has a column of that name"), taken);
        String tooLong = failure(new SpotlightEmbedder().setMaxLength(600));
        assertTrue(tooLong.contains("maxLength='600': more than the 512 tokens model all-minilm-l6-v2 can take"), tooLong);
    }

    @Test
    void aTaskStageWithoutAModelIsRefusedBeforeAnyJob() {
        Dataset<Row> input = LocalSpark.unevenPartitions(List.of("x"));
        String message = assertThrows(SpotlightSparkException.class, () -> new SpotlightTokenClassifier().transform(input)).getMessage();
        assertTrue(message.startsWith("SpotlightTokenClassifier(spotlightTokenClassifier_") && message.contains("model='': no model given;"
                + " set model to a …ForTokenClassification model"), message);
        String generator = assertThrows(SpotlightSparkException.class, () -> new SpotlightGenerator().transform(
                input.withColumnRenamed("text", "prompt"))).getMessage();
        assertTrue(generator.contains("model='': no model given; set model to a decoder-only model"), generator);
    }

    @Test
    void aTaskModelWithAnotherHeadFailsTheJobNamingBothHeads() {
        String message = failure(new SpotlightTextClassifier().setModel(TaskFixtures.path("ner")));
        assertTrue(message.contains("SpotlightTextClassifier(") && message.contains("model='" + TaskFixtures.path("ner") + "'")
                && message.contains("a token classification model (config.json architectures [BertForTokenClassification]),"
                + " expected …ForSequenceClassification for sequence classification"), message);
        String reranker = failure(new SpotlightReranker().setModel(TaskFixtures.path("nli")).setInputCol("text").setPassageCol("text2"),
                LocalSpark.unevenPartitions(List.of("q")).withColumn("text2", org.apache.spark.sql.functions.col("text")));
        assertTrue(reranker.contains("SpotlightReranker(") && reranker.contains("has 3 labels")
                && reranker.contains("expected a cross-encoder with one score per pair"), reranker);
        String embedding = failure(new SpotlightFillMask().setModel(SpotlightStage.DEFAULT_MODEL));
        assertTrue(embedding.contains("SpotlightFillMask(") && embedding.contains("model='all-minilm-l6-v2': cannot load"), embedding);
        String missing = failure(new SpotlightGenerator().setModel("/mnt/models/llama"),
                LocalSpark.unevenPartitions(List.of("Once")).withColumnRenamed("text", "prompt"));
        assertTrue(missing.contains("SpotlightGenerator(") && missing.contains("model='/mnt/models/llama': no such path on executor"),
                missing);
    }

    @Test
    void taskParamsAndColumnsAreRefusedBeforeAnyJob() {
        Dataset<Row> input = LocalSpark.unevenPartitions(List.of("x"));
        String nli = TaskFixtures.path("nli");
        String none = assertThrows(SpotlightSparkException.class, () -> new SpotlightZeroShotClassifier().setModel(nli)
                .transform(input)).getMessage();
        assertTrue(none.contains("candidateLabels='': no labels: set candidateLabels"), none);
        String both = assertThrows(SpotlightSparkException.class, () -> new SpotlightZeroShotClassifier().setModel(nli)
                .setCandidateLabels(new String[] {"a"}).setLabelsCol("text").transform(input)).getMessage();
        assertTrue(both.contains("labelsCol='text' is set too: set one of the two"), both);
        String template = assertThrows(SpotlightSparkException.class, () -> new SpotlightZeroShotClassifier().setModel(nli)
                .setCandidateLabels(new String[] {"a"}).setHypothesisTemplate("It is about it.").transform(input)).getMessage();
        assertTrue(template.contains("hypothesisTemplate='It is about it.': no {} where the label goes"), template);
        String labels = assertThrows(SpotlightSparkException.class, () -> new SpotlightZeroShotClassifier().setModel(nli)
                .setLabelsCol("id").transform(input)).getMessage();
        assertTrue(labels.contains("labelsCol='id': expected a string or array<string> column, found int"), labels);
        String context = assertThrows(SpotlightSparkException.class, () -> new SpotlightQuestionAnswerer()
                .setModel(TaskFixtures.path("qa")).setInputCol("text").transform(input)).getMessage();
        assertTrue(context.contains("contextCol='context': no such column; the columns are [id, text]"), context);
        String window = assertThrows(SpotlightSparkException.class, () -> new SpotlightQuestionAnswerer().setModel(TaskFixtures.path("qa"))
                .setInputCol("text").setContextCol("text").setMaxSeqLen(0).transform(input)).getMessage();
        assertTrue(window.contains("maxSeqLen='0': expected -1"), window);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SpotlightTokenClassifier().setAggregationStrategy("mean"))
                .getMessage().contains("aggregationStrategy given invalid value mean"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SpotlightGenerator().setTopP(1.5))
                .getMessage().contains("topP given invalid value 1.5"));
    }

    private static String failure(SpotlightStage<?> stage) {
        return failure(stage, LocalSpark.unevenPartitions(List.of("one text", "another")));
    }

    /** The message Spark's driver reports when the job fails: the executor's exception is in it. */
    private static String failure(SpotlightStage<?> stage, Dataset<Row> input) {
        return messages(assertThrows(Exception.class, () -> stage.transform(input).collectAsList()));
    }

    /** Every message in a failure's chain of causes, one a line. */
    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
