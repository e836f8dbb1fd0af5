package dev.spotlight.spark;

import static dev.spotlight.spark.SpotlightEmbedderTest.byId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.FillMask;
import dev.spotlight.models.tasks.QuestionAnswering;
import dev.spotlight.models.tasks.Reranker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Question answering, fill-mask and reranking stages: each row the library pipeline's result for it. */
class AnswerFillRerankStagesTest {
    private static final StructType PAIRS = new StructType().add("id", DataTypes.IntegerType, false)
            .add("first", DataTypes.StringType, true).add("second", DataTypes.StringType, true);

    @Test
    void answersAreTheLibrarysOverContextWindowsAcrossPartitions() {
        List<String> corpus = LocalSpark.texts(60);
        List<String> questions = List.of("Where does John live?", "Who founded the university?", "What was built in the century?",
                "Which city?");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            // contexts of 1 to 27 sentences: several windows of 64 tokens for the long ones
            String context = TaskFixtures.SENTENCES.get(i % TaskFixtures.SENTENCES.size()) + " "
                    + String.join(" ", corpus.subList(i, i + 1 + 2 * i));
            rows.add(RowFactory.create(i, questions.get(i % questions.size()), context));
        }
        Dataset<Row> input = LocalSpark.unevenPartitions(PAIRS, rows);
        QuestionAnswering qa = new QuestionAnswering(TaskFixtures.model("qa"));
        QuestionAnswering.Options options = QuestionAnswering.Options.DEFAULTS.withTopK(3).withMaxSeqLen(64).withDocStride(16)
                .withHandleImpossibleAnswer(true);
        int windowed = 0;
        for (int batch : new int[] {2, 64}) {
            Map<Integer, Row> got = byId(new SpotlightQuestionAnswerer().setModel(TaskFixtures.path("qa")).setInputCol("first")
                    .setContextCol("second").setTopK(3).setMaxSeqLen(64).setDocStride(16).setHandleImpossibleAnswer(true)
                    .setBatchSize(batch).transform(input));
            for (Row row : rows) {
                int id = row.getInt(0);
                QuestionAnswering.Result want = qa.answer(row.getString(1), row.getString(2), options, Capture.NONE);
                windowed += batch == 2 && want.windows().size() > 1 ? 1 : 0;
                List<Row> answers = got.get(id).getList(got.get(id).fieldIndex("answers"));
                assertEquals(want.answers().size(), answers.size(), "row " + id);
                for (int a = 0; a < answers.size(); a++) {
                    QuestionAnswering.Answer w = want.answers().get(a);
                    Row g = answers.get(a);
                    assertEquals(w.score(), (double) g.getAs("score"), "row " + id);
                    assertEquals(w.start(), (int) g.getAs("start"), "row " + id);
                    assertEquals(w.end(), (int) g.getAs("end"), "row " + id);
                    assertEquals(w.answer(), g.getAs("answer"), "row " + id);
                }
            }
        }
        assertTrue(windowed > rows.size() / 2, windowed + " of " + rows.size() + " contexts ran in several windows");
    }

    @Test
    void aNullContextGivesNullAndAnEmptyQuestionIsAnInvalidRow() {
        Dataset<Row> input = LocalSpark.unevenPartitions(PAIRS, List.of(RowFactory.create(0, "Where?", null),
                RowFactory.create(1, "", "John lives in Paris."), RowFactory.create(2, "Where does John live?", "John lives in Paris.")));
        Map<Integer, Row> got = byId(new SpotlightQuestionAnswerer().setModel(TaskFixtures.path("qa")).setInputCol("first")
                .setContextCol("second").setHandleInvalid("null").setErrorCol("error").transform(input));
        assertTrue(got.get(0).isNullAt(got.get(0).fieldIndex("answers")));
        assertNull(got.get(0).getAs("error"), "a missing context is data, not an error");
        assertTrue(got.get(1).isNullAt(got.get(1).fieldIndex("answers")));
        String error = got.get(1).getAs("error");
        assertTrue(error.contains("row with text ''") && error.contains("the question is empty"), error);
        assertEquals(1, got.get(2).getList(got.get(2).fieldIndex("answers")).size());
    }

    @Test
    void fillsAreTheLibrarysPerMaskTokenWithAndWithoutTargets() {
        List<String> texts = new ArrayList<>(List.of("The capital of France is [MASK].", "John [MASK] in New [MASK] with his [MASK].",
                "[MASK]", "It [MASK] rained."));
        for (String s : LocalSpark.texts(12)) {
            texts.add(s.replaceFirst(" the ", " [MASK] ").replaceFirst(" of ", " [MASK] "));
        }
        texts.removeIf(t -> !t.contains("[MASK]"));
        FillMask fillMask = new FillMask(TaskFixtures.model("mlm"));
        for (String[] targets : new String[][] {{}, {"paris", "city", "lives", "zzzyzzz"}}) {
            FillMask.Options options = new FillMask.Options(3, targets.length == 0 ? null : List.of(targets));
            Map<Integer, Row> got = byId(new SpotlightFillMask().setModel(TaskFixtures.path("mlm")).setTopK(3).setTargets(targets)
                    .setBatchSize(4).transform(LocalSpark.unevenPartitions(texts)));
            for (int i = 0; i < texts.size(); i++) {
                List<List<FillMask.Fill>> want = fillMask.fill(texts.get(i), options, Capture.NONE).masks();
                List<Object> masks = got.get(i).getList(got.get(i).fieldIndex("fills"));
                assertEquals(want.size(), masks.size(), "text " + i);
                for (int m = 0; m < masks.size(); m++) {
                    List<Row> fills = SpotlightEmbedderTest.list(masks.get(m));
                    assertEquals(want.get(m).size(), fills.size(), "text " + i + " mask " + m);
                    for (int f = 0; f < fills.size(); f++) {
                        FillMask.Fill w = want.get(m).get(f);
                        Row g = fills.get(f);
                        assertEquals(List.of(w.score(), w.token(), w.tokenStr(), w.sequence()),
                                List.of(g.getDouble(0), g.getInt(1), g.getString(2), g.getString(3)), "text " + i + " mask " + m);
                    }
                }
            }
        }
    }

    @Test
    void aTextWithoutAMaskIsAnInvalidRow() {
        Map<Integer, Row> got = byId(new SpotlightFillMask().setModel(TaskFixtures.path("mlm")).setHandleInvalid("null")
                .setErrorCol("error").transform(LocalSpark.unevenPartitions(java.util.Arrays.asList("no mask here", null, "a [MASK]."))));
        String error = got.get(0).getAs("error");
        assertTrue(error.contains("row with text 'no mask here'") && error.contains("no mask token ([MASK]) found"), error);
        assertTrue(got.get(1).isNullAt(got.get(1).fieldIndex("fills")));
        assertNull(got.get(1).getAs("error"));
        assertEquals(1, got.get(2).getList(got.get(2).fieldIndex("fills")).size());
    }

    @Test
    void rerankScoresAreTheLibrarysForEachPairWhateverRowsShareABatch() {
        List<String> passages = TaskFixtures.texts(20);
        List<String> queries = List.of("where does john live", "climate policy", "a new phone");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < passages.size(); i++) {
            rows.add(RowFactory.create(i, queries.get(i % 3 == 2 ? 2 : i % 2), i == 7 ? null : passages.get(i)));
        }
        Reranker reranker = new Reranker(TaskFixtures.model("cross-encoder"));
        for (int batch : new int[] {1, 5, 64}) {
            Map<Integer, Row> got = byId(new SpotlightReranker().setModel(TaskFixtures.path("cross-encoder")).setInputCol("first")
                    .setPassageCol("second").setBatchSize(batch).transform(LocalSpark.unevenPartitions(PAIRS, rows)));
            for (Row row : rows) {
                int id = row.getInt(0);
                if (row.isNullAt(2)) {
                    assertTrue(got.get(id).isNullAt(got.get(id).fieldIndex("score")), "null passage → null score");
                    continue;
                }
                double alone = reranker.rank(row.getString(1), List.of(row.getString(2)), null, Capture.NONE).ranking().getFirst().score();
                assertEquals(alone, (double) got.get(id).getAs("score"), "row " + id + " batch " + batch);
            }
        }
    }
}
