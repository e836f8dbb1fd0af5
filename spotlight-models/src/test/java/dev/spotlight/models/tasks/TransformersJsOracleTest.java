package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.TokenClassification.Aggregation;
import dev.spotlight.models.tasks.TokenClassification.Entity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every pipeline against transformers.js 4.3.2 running the same ONNX files
 * (goldens/tasks/transformers_js.mjs → transformers-js.json; TaskOracleModels writes the files and
 * this test first checks their SHA-256 against the goldens'). Scores within 1e-4 (the two engines'
 * logits differ by up to ~1e-5); labels, words, tokens and texts exactly. transformers.js differs
 * from Python in places, so the comparison is set up where the two agree: token classification
 * "simple" with ignore_labels [] (transformers.js filters before grouping, Python after);
 * question answering without a max_answer_len (transformers.js has none) and compared on the decoded
 * span (transformers.js decodes tokens, Python cuts the context).
 */
class TransformersJsOracleTest {
    private static final double TOLERANCE = 1e-4;
    private static JsonNode golden;
    private static Path models;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = TransformersJsOracleTest.class.getResourceAsStream("/goldens/tasks/transformers-js.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        models = TaskOracleModels.folder();
    }

    private static TaskModel model(String name) {
        return TaskModel.load(models.resolve(name).toString());
    }

    @Test
    void theModelFilesAreTheOnesTransformersJsRan() {
        golden.get("models").fields().forEachRemaining(e -> assertEquals(e.getValue().asText(),
                TaskOracleModels.sha256(models.resolve(e.getKey()).resolve("onnx/model.onnx")), e.getKey()));
    }

    @Test
    void tokenClassificationMatchesNoneAndSimple() {
        try (TaskModel model = model("ner")) {
            TokenClassification ner = new TokenClassification(model);
            for (JsonNode c : golden.get("token_classification")) {
                boolean simple = c.get("options").has("aggregation_strategy");
                TokenClassification.Options options = simple ? new TokenClassification.Options(Aggregation.SIMPLE, List.of())
                        : TokenClassification.Options.DEFAULTS;
                List<Entity> actual = ner.classify(c.get("text").asText(), options);
                JsonNode expected = c.get("output");
                String where = c.get("text").asText() + " " + c.get("options");
                assertEquals(expected.size(), actual.size(), where);
                for (int i = 0; i < actual.size(); i++) {
                    JsonNode e = expected.get(i);
                    Entity a = actual.get(i);
                    assertEquals(e.get(simple ? "entity_group" : "entity").asText(), a.label(), where);
                    assertEquals(e.get("score").asDouble(), a.score(), TOLERANCE, where);
                    assertEquals(e.get("word").asText(), a.word(), where);
                    if (!simple) {
                        assertEquals(e.get("index").asInt(), a.index(), where);
                    }
                }
            }
        }
    }

    @Test
    void questionAnsweringMatchesTopSpansAndScores() {
        try (TaskModel model = model("qa")) {
            QuestionAnswering qa = new QuestionAnswering(model);
            for (JsonNode c : golden.get("question_answering")) {
                QuestionAnswering.Options options = QuestionAnswering.Options.DEFAULTS.withTopK(c.get("top_k").asInt())
                        .withMaxAnswerLen(512);
                QuestionAnswering.Result result = qa.answer(c.get("question").asText(), c.get("context").asText(), options,
                        Capture.NONE);
                JsonNode expected = c.get("output");
                String where = c.get("question").asText() + " top_k " + c.get("top_k");
                assertEquals(expected.size(), result.answers().size(), where);
                for (int i = 0; i < expected.size(); i++) {
                    QuestionAnswering.Answer a = result.answers().get(i);
                    int[] ids = java.util.Arrays.copyOfRange(result.windows().get(a.window()).encoding().ids(), a.startToken(),
                            a.endToken() + 1);
                    assertEquals(expected.get(i).get("answer").asText(), FillMask.cleanUp(model.tokenizer().decode(ids, true)), where);
                    assertEquals(expected.get(i).get("score").asDouble(), a.score(), TOLERANCE, where);
                    // and Python's answer is the context's own text there, whole words
                    assertEquals(c.get("context").asText().substring(a.start(), a.end()), a.answer(), where);
                }
            }
        }
    }

    @Test
    void textClassificationMatchesSoftmaxAndMultiLabelSigmoid() {
        for (String name : List.of("nli", "toxic")) {
            try (TaskModel model = model(name)) {
                TextClassification classifier = new TextClassification(model);
                for (JsonNode c : golden.get("text_classification")) {
                    if (!c.get("model").asText().equals(name)) {
                        continue;
                    }
                    List<LabelScore> actual = classifier.classify(c.get("text").asText(),
                            new TextClassification.Options(TextClassification.Function.DEFAULT, c.get("top_k").asInt()));
                    assertLabels(c.get("output"), actual, name + " " + c.get("text").asText());
                }
            }
        }
    }

    @Test
    void zeroShotMatchesBothNormalisationsAndTemplates() {
        try (TaskModel model = model("nli")) {
            ZeroShotClassification zeroShot = new ZeroShotClassification(model);
            for (JsonNode c : golden.get("zero_shot")) {
                List<String> labels = new ArrayList<>();
                c.get("labels").forEach(l -> labels.add(l.asText()));
                JsonNode o = c.get("options");
                ZeroShotClassification.Options options = new ZeroShotClassification.Options(
                        o.path("hypothesis_template").asText("This example is {}."), o.path("multi_label").asBoolean(false));
                ZeroShotClassification.Result r = zeroShot.classify(c.get("text").asText(), labels, options, Capture.NONE);
                JsonNode expected = c.get("output");
                String where = c.get("text").asText() + " " + labels + " " + o;
                for (int i = 0; i < labels.size(); i++) {
                    assertEquals(expected.get("labels").get(i).asText(), r.labels().get(i), where);
                    assertEquals(expected.get("scores").get(i).asDouble(), r.scores().get(i), TOLERANCE, where);
                }
            }
        }
    }

    @Test
    void fillMaskMatchesTokensScoresAndSequences() {
        try (TaskModel model = model("mlm")) {
            FillMask fill = new FillMask(model);
            for (JsonNode c : golden.get("fill_mask")) {
                FillMask.Result r = fill.fill(c.get("text").asText(), new FillMask.Options(c.get("top_k").asInt(), null), Capture.NONE);
                List<FillMask.Fill> actual = r.masks().getFirst();
                JsonNode expected = c.get("output");
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < actual.size(); i++) {
                    String where = c.get("text").asText() + " #" + i;
                    assertEquals(expected.get(i).get("token").asInt(), actual.get(i).token(), where);
                    assertEquals(expected.get(i).get("score").asDouble(), actual.get(i).score(), TOLERANCE, where);
                    assertEquals(expected.get(i).get("token_str").asText(), actual.get(i).tokenStr(), where);
                    assertEquals(expected.get(i).get("sequence").asText(), actual.get(i).sequence(), where);
                }
            }
        }
    }

    @Test
    void rerankingScoresAreTheCrossEncoderLogitsThroughASigmoidSorted() {
        try (TaskModel model = model("cross-encoder")) {
            JsonNode c = golden.get("cross_encoder");
            List<String> documents = new ArrayList<>();
            c.get("documents").forEach(d -> documents.add(d.asText()));
            Reranker.Result r = new Reranker(model).rank(c.get("query").asText(), documents, null, Capture.NONE);
            double previous = Double.POSITIVE_INFINITY;
            for (Reranker.Ranked ranked : r.ranking()) {
                double logit = c.get("logits").get(ranked.corpusId()).get(0).asDouble();
                assertEquals(1 / (1 + Math.exp(-logit)), ranked.score(), TOLERANCE);
                assertEquals(documents.get(ranked.corpusId()), ranked.text());
                assertEquals(true, ranked.score() <= previous);
                previous = ranked.score();
            }
            assertEquals(documents.size(), r.ranking().size());
        }
    }

    private static void assertLabels(JsonNode expected, List<LabelScore> actual, String where) {
        assertEquals(expected.size(), actual.size(), where);
        for (int i = 0; i < actual.size(); i++) {
            assertEquals(expected.get(i).get("label").asText(), actual.get(i).label(), where);
            assertEquals(expected.get(i).get("score").asDouble(), actual.get(i).score(), TOLERANCE, where);
        }
    }
}
