package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.tasks.TinyTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spotlight ner | qa | classify | zero-shot | fill-mask | rerank on tiny random task checkpoints: the
 * output shapes (readable, --json with Python's keys, --input/--output), --view with the answer marked,
 * and one-line errors for bad input. The numbers themselves are proven in spotlight-models.
 */
class TaskCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NER = List.of("O", "B-PER", "I-PER");

    @TempDir
    Path dir;

    private String model(String architecture, List<String> labels) {
        return TinyTasks.folder(dir.resolve(architecture + labels.size()), architecture, labels, c -> { }).toString();
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.run(args);
        assertEquals(0, run.code(), run.err());
        return run;
    }

    /** Exit 2 and one error line ending with {@code message} (an option error adds picocli's "Try … --help" line). */
    private static void fails(String message, String... args) {
        CliRun run = CliRun.run(args);
        assertEquals(2, run.code(), run.out() + run.err());
        List<String> lines = run.err().strip().lines().toList();
        assertTrue(lines.size() == 1 || lines.size() == 2 && lines.get(1).startsWith("Try 'spotlight "), run.err());
        assertTrue(lines.getFirst().endsWith(message), run.err());
    }

    @Test
    void nerPrintsEntitiesAndJsonWithPythonsKeys() throws Exception {
        String model = model("BertForTokenClassification", NER);
        CliRun readable = ok("ner", "--model", model, "--ignore-labels", "", "john smith lives in paris");
        assertTrue(readable.out().startsWith("john smith lives in paris" + System.lineSeparator() + "  "), readable.out());
        JsonNode none = JSON.readTree(ok("ner", "--model", model, "--json", "--ignore-labels", "", "john smith").out());
        assertEquals("john smith", none.get("text").asText());
        JsonNode first = none.get("entities").get(0);
        assertEquals(List.of("entity", "score", "index", "word", "start", "end"), names(first));
        assertEquals("john", first.get("word").asText());
        assertEquals(1, first.get("index").asInt());
        JsonNode grouped = JSON.readTree(ok("ner", "--model", model, "--json", "--aggregation", "first", "--ignore-labels", "",
                "john smith").out());
        assertEquals(List.of("entity_group", "score", "word", "start", "end"), names(grouped.get("entities").get(0)));
        fails("--aggregation: aggregation strategy 'longest' is not one of none, simple, first, average, max",
                "ner", "--model", model, "--aggregation", "longest", "john");
    }

    @Test
    void nerWithAStrideLabelsALongTextInWindowsAndMarksEachWindowInTheViewer() throws Exception {
        String model = TinyTasks.folder(dir.resolve("ner8"), "BertForTokenClassification", NER, c -> { }, TinyTasks.wordPiece(),
                JSON.createObjectNode().put("model_max_length", 8)).toString();
        String text = "john smith lives in paris and the cat sat on the mat in new york";
        JsonNode r = JSON.readTree(ok("ner", "--model", model, "--json", "--aggregation", "simple", "--stride", "2",
                "--ignore-labels", "", text).out());
        JsonNode entities = r.get("entities");
        int end = 0;
        for (JsonNode e : entities) {
            assertTrue(e.get("start").asInt() >= end, r.toString());
            end = e.get("end").asInt();
        }
        assertTrue(end > 40, "entities from the later windows too: " + r);
        Path html = dir.resolve("ner.html");
        ok("ner", "--model", model, "--aggregation", "first", "--stride", "2", "--view", html.toString(), text);
        JsonNode sequences = viewerData(html).get("sequences");
        // 16 tokens, 6 per window, a new window every 4: 4 windows, each its own sequence
        assertEquals(4, sequences.size());
        // more windows than the viewer shows: the first four that hold an entity, named by their place
        String longer = text + " and " + text;
        JsonNode all = JSON.readTree(ok("ner", "--model", model, "--json", "--aggregation", "first", "--stride", "2",
                "--ignore-labels", "", longer).out()).get("entities");
        Path longHtml = dir.resolve("ner-long.html");
        ok("ner", "--model", model, "--aggregation", "first", "--stride", "2", "--ignore-labels", "", "--view",
                longHtml.toString(), longer);
        JsonNode shown = viewerData(longHtml).get("sequences");
        assertEquals(4, shown.size());
        int marks = 0;
        int previous = 0;
        for (JsonNode s : shown) {
            java.util.regex.Matcher place = java.util.regex.Pattern.compile("\\| window (\\d+) of (\\d+)$")
                    .matcher(s.get("text").asText());
            assertTrue(place.find(), s.get("text").asText());
            assertEquals(8, Integer.parseInt(place.group(2)), "32 tokens, 6 per window, a new one every 4: 8 windows");
            assertTrue(Integer.parseInt(place.group(1)) > previous, "in window order");
            previous = Integer.parseInt(place.group(1));
            marks += s.get("marks").size();
        }
        assertTrue(marks > 0 && marks <= all.size(), marks + " marks of " + all.size() + " entities");
        fails("--stride: stride 2 needs an aggregation strategy: transformers refuses stride with aggregation_strategy \"none\""
                + " (choose simple, first, average or max)", "ner", "--model", model, "--stride", "2", text);
        fails("stride 6 must be less than the 6 tokens each window holds (ner8's length 8 minus 2 special tokens)",
                "ner", "--model", model, "--aggregation", "max", "--stride", "6", text);
    }

    @Test
    void inputFilesGiveOneJsonLinePerLineKeepingTheirFields() throws Exception {
        String model = model("BertForTokenClassification", NER);
        Path input = dir.resolve("texts.jsonl");
        Files.writeString(input, "{\"id\": 7, \"text\": \"john smith\"}\n{\"id\": 8, \"text\": \"the cat sat\"}\n");
        Path output = dir.resolve("out.jsonl");
        ok("ner", "--model", model, "--input", input.toString(), "--output", output.toString());
        List<String> lines = Files.readAllLines(output);
        assertEquals(2, lines.size());
        assertEquals(8, JSON.readTree(lines.get(1)).get("id").asInt());
        assertTrue(JSON.readTree(lines.get(1)).get("entities").isArray());
        fails(output + " exists; pass --force to overwrite it", "ner", "--model", model, "--input", input.toString(),
                "--output", output.toString());
    }

    @Test
    void qaAnswersWithCharacterSpansAndMarksTheAnswerInTheViewer() throws Exception {
        String model = model("BertForQuestionAnswering", List.of("LABEL_0", "LABEL_1"));
        String context = "john lives in paris. the cat sat on the mat.";
        JsonNode r = JSON.readTree(ok("qa", "--model", model, "--json", "--top-k", "2", "where does john live?", context).out());
        assertEquals(2, r.get("answers").size());
        JsonNode a = r.get("answers").get(0);
        assertEquals(context.substring(a.get("start").asInt(), a.get("end").asInt()), a.get("answer").asText());
        Path html = dir.resolve("qa.html");
        CliRun view = ok("qa", "--model", model, "--max-seq-len", "16", "--doc-stride", "4", "--view", html.toString(),
                "where does john live?", context);
        JsonNode data = viewerData(html);
        int windows = data.get("sequences").size();
        assertTrue(windows > 1, "the context overflows into windows: " + windows);
        int marked = 0;
        for (JsonNode s : data.get("sequences")) {
            if (s.get("marks").size() > 0) {
                marked++;
                assertTrue(s.get("marks").get(0).get("label").asText().startsWith("answer "));
                assertEquals("attended by the answer (last layer, mean of heads) in the question",
                        s.get("marks").get(1).get("label").asText());
                assertEquals(3, s.get("marks").get(1).get("tokens").size());
            }
        }
        assertEquals(1, marked, "the best answer's window");
        assertTrue(view.err().contains("wrote " + html), view.err());
    }

    @Test
    void qaFindsAnAnswerFarPastTheFirstWindow() throws Exception {
        // 1,000 unknown words, then the only "paris": windows of 4 context tokens reach it in the 502nd, the last
        String model = TinyTasks.answerFinder(dir.resolve("finder"), "paris", "right").toString();
        StringBuilder context = new StringBuilder("😀");
        for (int i = 0; i < 1000; i++) {
            context.append(" w").append(i);
        }
        context.append(" john lives in paris.");
        JsonNode a = JSON.readTree(ok("qa", "--model", model, "--json", "--max-seq-len", "12", "--doc-stride", "2",
                "where is the cat?", context.toString()).out()).get("answers").get(0);
        assertEquals("paris", a.get("answer").asText());
        int start = context.codePointCount(0, context.indexOf("paris"));
        assertEquals(start, a.get("start").asInt());
        assertEquals(start + 5, a.get("end").asInt());
        // 502 windows are more than the viewer shows: only the answer's, with paris marked
        Path html = dir.resolve("finder.html");
        ok("qa", "--model", model, "--max-seq-len", "12", "--doc-stride", "2", "--view", html.toString(), "where is the cat?",
                context.toString());
        JsonNode sequences = viewerData(html).get("sequences");
        assertEquals(1, sequences.size());
        assertTrue(sequences.get(0).toString().contains("where is the cat? | window 502 of 502"), sequences.get(0).toString());
        assertEquals("answer paris", sequences.get(0).get("marks").get(0).get("label").asText());
    }

    @Test
    void qaRefusesAQuestionWithoutRoomAndEmptyInputs() throws Exception {
        String model = model("BertForQuestionAnswering", List.of("LABEL_0", "LABEL_1"));
        fails("the question has 9 tokens, which with 3 special tokens leaves no room for the context in max_seq_len 12: shorten the"
                + " question", "qa", "--model", model, "--max-seq-len", "12", "where is the cat the cat the cat ?", "the mat");
        fails("the context is empty: question answering needs a context", "qa", "--model", model, "where?", "");
        Path input = dir.resolve("q.jsonl");
        Files.writeString(input, "{\"question\": \"where?\"}\n");
        fails(input + ":1: expected a string \"context\" beside the question", "qa", "--model", model, "--input", input.toString());
    }

    @Test
    void classifyZeroShotAndRerankSortTheirScores() throws Exception {
        String nli = model("BertForSequenceClassification", List.of("contradiction", "neutral", "entailment"));
        JsonNode c = JSON.readTree(ok("classify", "--model", nli, "--json", "--top-k", "all", "--pair", "john", "the cat").out());
        assertEquals("john", c.get("text_pair").asText());
        assertEquals(3, c.get("labels").size());
        assertTrue(c.get("labels").get(0).get("score").asDouble() >= c.get("labels").get(1).get("score").asDouble());
        fails("2 texts but 3 --pair values: give one for all or one per text", "classify", "--model", nli, "--pair", "a", "--pair",
                "b", "--pair", "c", "x", "y");
        JsonNode z = JSON.readTree(ok("zero-shot", "--model", nli, "--json", "--labels", "city, cat", "john lives in paris").out());
        assertEquals(2, z.get("labels").size());
        assertEquals(1.0, z.get("scores").get(0).asDouble() + z.get("scores").get(1).asDouble(), 1e-9);
        String ce = model("BertForSequenceClassification", List.of("LABEL_0"));
        JsonNode ranking = JSON.readTree(ok("rerank", "--model", ce, "--json", "--query", "where does john live?", "john lives in paris",
                "the cat sat", "paris is a city").out()).get("ranking");
        assertEquals(3, ranking.size());
        assertTrue(ranking.get(0).get("score").asDouble() >= ranking.get(2).get("score").asDouble());
        fails("has 3 labels [contradiction, neutral, entailment], expected a cross-encoder with one score per pair (num_labels 1)",
                "rerank", "--model", nli, "--query", "q", "doc");
    }

    @Test
    void fillMaskFillsEachMaskAndNeedsOne() throws Exception {
        String mlm = model("BertForMaskedLM", List.of("LABEL_0", "LABEL_1"));
        JsonNode r = JSON.readTree(ok("fill-mask", "--model", mlm, "--json", "--top-k", "2", "the cat [MASK] on the mat.").out());
        assertEquals(2, r.get("masks").get(0).size());
        assertEquals(List.of("score", "token", "token_str", "sequence"), names(r.get("masks").get(0).get(0)));
        fails("no mask token ([MASK]) found in the input \"the cat sat\"", "fill-mask", "--model", mlm, "the cat sat");
    }

    @Test
    void aModelWithoutTheTasksHeadIsOneClearError() {
        fails("config.json architectures [BertForMaskedLM] is a masked language modelling model, expected …ForTokenClassification"
                + " for token classification", "ner", "--model", model("BertForMaskedLM", List.of("a", "b")), "john");
        fails("no config.json, so no task head: a task model needs config.json with architectures (e.g. …ForTokenClassification)"
                + " and id2label", "ner", "--model", "all-minilm-l6-v2", "john");
        fails("give either texts or --input FILE", "ner", "--model", "all-minilm-l6-v2");
        // the viewer is a web page: --view out.png used to receive HTML
        fails("--view out.png: the viewer is an HTML page; give a file name ending in .html", "qa", "--model", "all-minilm-l6-v2",
                "--view", "out.png", "Where?", "Here.");
    }

    @Test
    void nerViewMarksTheEntities() throws Exception {
        Path html = dir.resolve("ner.html");
        ok("ner", "--model", model("BertForTokenClassification", NER), "--ignore-labels", "", "--aggregation", "simple", "--view",
                html.toString(), "john smith lives in paris");
        JsonNode marks = viewerData(html).get("sequences").get(0).get("marks");
        int covered = 0;
        for (JsonNode m : marks) {
            covered += m.get("tokens").size();
        }
        assertEquals(5, covered, "every word is in one group when nothing is ignored");
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode viewerData(Path html) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"spotlight-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(Files.readString(html));
        assertTrue(m.find());
        return JSON.readTree(m.group(1));
    }
}
