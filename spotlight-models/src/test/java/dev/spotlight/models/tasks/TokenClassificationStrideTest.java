package dev.spotlight.models.tasks;

import static dev.spotlight.models.tasks.TokenClassificationTest.LABELS;
import static dev.spotlight.models.tasks.TokenClassificationTest.assertEntity;
import static dev.spotlight.models.tasks.TokenClassificationTest.p;
import static dev.spotlight.models.tasks.TokenClassificationTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.Capture;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.tasks.TokenClassification.Aggregation;
import dev.spotlight.models.tasks.TokenClassification.Entity;
import dev.spotlight.models.tasks.TokenClassification.Options;
import dev.spotlight.tokenizers.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * token-classification with {@code stride}, as transformers' TokenClassificationPipeline does it (the
 * fast tokenizer's overflow windows, each window post-processed alone, then
 * {@code aggregate_overlapping_entities}). transformers.js has no stride: every expectation here is
 * worked out by hand from the Python code, on logits set per window; a seeded property test checks
 * that a text that fits in one window gives exactly the result without stride.
 */
class TokenClassificationStrideTest {
    @TempDir
    static Path dir;
    /** model_max_length 6: four tokens between [CLS] and [SEP]. */
    static TaskModel six;
    /** model_max_length 5: three tokens per window. */
    static TaskModel five;

    @BeforeAll
    static void models() {
        six = model("six", 6);
        five = model("five", 5);
    }

    private static TaskModel model(String name, int maxLength) {
        ObjectNode tokenizerConfig = new ObjectMapper().createObjectNode().put("model_max_length", maxLength);
        return TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir.resolve(name), "BertForTokenClassification", LABELS,
                c -> { }, TinyTasks.wordPiece(), tokenizerConfig)), null);
    }

    /** The pipeline's windows of {@code text}, each token's logits given by {@code logits(window, token string)} (else 0). */
    private static List<Entity> run(TaskModel model, String text, Options options, BiFunction<Integer, String, float[]> logits) {
        TokenClassification pipeline = new TokenClassification(model);
        List<Encoding> windows = pipeline.windows(text, options);
        List<float[][]> rows = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Encoding e = windows.get(w);
            float[][] window = new float[e.length()][];
            for (int t = 0; t < e.length(); t++) {
                float[] r = logits.apply(w, e.token(t));
                window[t] = r != null ? r : new float[LABELS.size()];
            }
            rows.add(window);
        }
        return pipeline.entities(text, windows, rows, options);
    }

    // John 0-4, Smith 5-10, lives 11-16, in 17-19, New 20-23, York 24-28
    private static final String PEOPLE = "John Smith lives in New York";

    @Test
    void windowsAreTheTokenizersOverflowWindowsRepeatingStrideTokens() {
        List<Encoding> windows = new TokenClassification(six).windows(PEOPLE, Options.DEFAULTS.withAggregation(Aggregation.SIMPLE)
                .withStride(2));
        // Rust's windows of 4 tokens starting every 4 − 2 tokens, [CLS] … [SEP] around each
        assertEquals(List.of(List.of("[CLS]", "john", "smith", "lives", "in", "[SEP]"),
                List.of("[CLS]", "lives", "in", "new", "york", "[SEP]")), windows.stream().map(Encoding::tokens).toList());
        assertEquals(17, windows.get(1).start(2), "offsets stay those of the whole text");
        List<Encoding> unstrided = new TokenClassification(six).windows(PEOPLE, Options.DEFAULTS);
        assertEquals(List.of(List.of("[CLS]", "john", "smith", "lives", "in", "[SEP]")), unstrided.stream().map(Encoding::tokens).toList());
        // the windows run to the end of the text, past the model's length (as tokenizers 0.22 and the fix of #2091 do;
        // 0.23.1-0.23.2 stop tokenizing at max_length and would end at "mat")
        List<Encoding> cat = new TokenClassification(six).windows("the cat sat on the mat .",
                Options.DEFAULTS.withAggregation(Aggregation.SIMPLE).withStride(2));
        assertEquals(List.of("[CLS]", "the", "mat", ".", "[SEP]"), cat.getLast().tokens());
        assertEquals(3, cat.size());
    }

    @Test
    void theSameEntityInTwoWindowsIsKeptOnceWithTheHigherScore() {
        Options simple = Options.DEFAULTS.withAggregation(Aggregation.SIMPLE).withStride(2);
        List<Entity> entities = run(six, PEOPLE, simple, (w, token) -> switch (token) {
            case "john" -> row("B-PER", 2);
            case "smith" -> row("I-PER", 2);
            case "in" -> row("B-LOC", w == 0 ? 2 : 3);
            case "new", "york" -> row("B-ORG", 1);
            default -> row("O", 2);
        });
        assertEquals(4, entities.size(), entities.toString());
        assertEntity(entities.get(0), "PER", p(2, 6), "john smith", 0, 10, -1);
        // window 0 says LOC with e^2, window 1 with e^3: equal spans, the higher score wins
        assertEntity(entities.get(1), "LOC", p(3, 6), "in", 17, 19, -1);
        assertEquals(1, entities.get(1).window());
        assertEquals(List.of(2), entities.get(1).tokens(), "token 2 of window 1");
        // two B- tags never merge
        assertEntity(entities.get(2), "ORG", p(1, 6), "new", 20, 23, -1);
        assertEntity(entities.get(3), "ORG", p(1, 6), "york", 24, 28, -1);
    }

    @Test
    void aLongerEntityStartingInsideReplacesTheShorterWhateverItsScore() {
        Options simple = Options.DEFAULTS.withAggregation(Aggregation.SIMPLE).withStride(2);
        List<Entity> entities = run(six, PEOPLE, simple, (w, token) -> switch (token) {
            case "in" -> w == 0 ? row("B-LOC", 4) : row("B-LOC", 1);
            case "new", "york" -> row("I-LOC", 1);
            default -> row("O", 2);
        });
        // window 0: LOC "in" (17-19, e^4); window 1: LOC "in new york" (17-28, mean of three e^1): longer, so kept
        assertEquals(1, entities.size(), entities.toString());
        assertEntity(entities.getFirst(), "LOC", p(1, 6), "in new york", 17, 28, -1);
        assertEquals(List.of(2, 3, 4), entities.getFirst().tokens());
    }

    @Test
    void aShorterEntityStartingInsideIsDroppedEvenWithAHigherScore() {
        Options simple = Options.DEFAULTS.withAggregation(Aggregation.SIMPLE).withStride(2);
        List<Entity> entities = run(six, PEOPLE, simple, (w, token) -> switch (token) {
            case "lives" -> w == 0 ? row("B-LOC", 1) : row("O", 2);
            case "in" -> w == 0 ? row("I-LOC", 1) : row("B-LOC", 5);
            default -> row("O", 2);
        });
        // window 0: LOC "lives in" (11-19); window 1: LOC "in" (17-19, e^5) starts inside it and is shorter
        assertEquals(1, entities.size(), entities.toString());
        assertEntity(entities.getFirst(), "LOC", p(1, 6), "lives in", 11, 19, -1);
        assertEquals(0, entities.getFirst().window());
    }

    @Test
    void aWordCutByAWindowBoundaryIsKeptWholeFromTheWindowThatHoldsAllOfIt() {
        // "john works at microsoft": john works at mic ##ro ##soft; three tokens per window, stride 2: windows start
        // at john, works, at, mic. With first, window 2 sees the word "micro" (14-19), window 3 all of "microsoft".
        Options first = Options.DEFAULTS.withAggregation(Aggregation.FIRST).withStride(2);
        TokenClassification pipeline = new TokenClassification(five);
        assertEquals(4, pipeline.windows("john works at microsoft", first).size());
        List<Entity> entities = run(five, "john works at microsoft", first, (w, token) -> switch (token) {
            case "mic" -> row("B-ORG", 3);
            case "##ro", "##soft" -> row("I-PER", 1);
            default -> row("O", 2);
        });
        assertEquals(1, entities.size(), entities.toString());
        assertEntity(entities.getFirst(), "ORG", p(3, 6), "microsoft", 14, 23, -1);
        assertEquals(3, entities.getFirst().window());
        // without overlap (stride 0) the cut stands: window 0 ends at "mic", window 1 starts a word with "##ro"
        List<Entity> cut = run(six, "john works at microsoft", Options.DEFAULTS.withAggregation(Aggregation.FIRST).withStride(0),
                (w, token) -> switch (token) {
                    case "mic" -> row("B-ORG", 3);
                    case "##ro" -> row("B-PER", 2);
                    default -> row("O", 2);
                });
        assertEquals(2, cut.size(), cut.toString());
        assertEntity(cut.get(0), "ORG", p(3, 6), "mic", 14, 17, -1);
        // the window's first token starts its word even as a sub-word; the decoder keeps its "##"
        assertEntity(cut.get(1), "PER", p(2, 6), "##rosoft", 17, 23, -1);
    }

    @Test
    void ignoredLabelsGoPerWindowBeforeTheMerge() {
        // window 0 calls "in" O (ignored), window 1 calls it LOC: nothing of window 0 competes, LOC stays
        Options simple = Options.DEFAULTS.withAggregation(Aggregation.SIMPLE).withStride(2);
        List<Entity> entities = run(six, PEOPLE, simple, (w, token) -> token.equals("in") && w == 1 ? row("B-LOC", 1) : row("O", 3));
        assertEquals(1, entities.size(), entities.toString());
        assertEntity(entities.getFirst(), "LOC", p(1, 6), "in", 17, 19, -1);
        // nothing ignored: window 0's O group "john smith lives in" (0-19, 19 characters) and window 1's "lives in new
        // york" (11-28, 17 characters), which starts inside it and is shorter: dropped whole, "new york" with it, as in Python
        List<Entity> all = run(six, PEOPLE, simple.withIgnoreLabels(List.of()), (w, token) -> row("O", 3));
        assertEquals(1, all.size(), all.toString());
        assertEntity(all.getFirst(), "O", p(3, 6), "john smith lives in", 0, 19, -1);
    }

    @Test
    void theMergeFollowsPythonsLoopToTheLetter() {
        Entity a = entity(0, 4, 0.5);
        Entity inside = entity(2, 4, 0.9);
        Entity longer = entity(2, 8, 0.1);
        Entity after = entity(8, 9, 0.2);
        // sorted by start, stably: a, longer (starts inside a and is longer: replaces it), inside (starts inside longer,
        // shorter: dropped), after (starts where longer ends: longer is final)
        assertEquals(List.of(longer, after), TokenClassification.mergeOverlapping(List.of(after, a, longer, inside)));
        Entity twin = new Entity("Y", 0.5, "twin", 0, 4, -1, List.of(), 1);
        assertEquals(List.of(a), TokenClassification.mergeOverlapping(List.of(a, twin)), "equal span and score: the first stays");
        assertEquals(List.of(twin), TokenClassification.mergeOverlapping(List.of(twin, a)));
        assertTrue(TokenClassification.mergeOverlapping(List.of()).isEmpty());
        // Python compares the first entity with itself: an empty first span fails start < end and is emitted twice
        Entity empty = entity(3, 3, 0.4);
        assertEquals(List.of(empty, empty, after), TokenClassification.mergeOverlapping(List.of(empty, after)));
    }

    private static Entity entity(int start, int end, double score) {
        return new Entity("X", score, "w" + start + "-" + end, start, end, -1, List.of(), 0);
    }

    @Test
    void badStridesAreRefusedInOneLine() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Options.DEFAULTS.withStride(2));
        assertEquals("stride 2 needs an aggregation strategy: transformers refuses stride with aggregation_strategy \"none\""
                + " (choose simple, first, average or max)", none.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Options.DEFAULTS.withAggregation(Aggregation.MAX).withStride(-1));
        assertEquals("stride -1 is negative, expected 0 or more tokens", negative.getMessage());
        Options tooLong = Options.DEFAULTS.withAggregation(Aggregation.MAX).withStride(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TokenClassification(six).classify(List.of(PEOPLE), tooLong, Capture.NONE));
        assertEquals("stride 4 must be less than the 4 tokens each window holds (six's length 6 minus 2 special tokens)",
                e.getMessage());
    }

    @Test
    void withAStrideATextThatFitsInOneWindowGivesExactlyTheResultWithout() {
        TaskModel model = model("twelve", 12);
        TokenClassification pipeline = new TokenClassification(model);
        Random random = new Random(15);
        List<String> words = new ArrayList<>(TinyTasks.WORDS.subList(5, TinyTasks.WORDS.size()));
        words.addAll(List.of("microsoft", "cats", "zzyzx", "Paris", "NEW"));
        List<String> texts = new ArrayList<>();
        while (texts.size() < 200) {
            StringBuilder text = new StringBuilder();
            int n = 1 + random.nextInt(10);
            for (int i = 0; i < n; i++) {
                String word = words.get(random.nextInt(words.size())).replace("##", "");
                text.append(i == 0 ? "" : random.nextInt(4) == 0 ? "  " : " ").append(word);
            }
            if (model.tokenizer().encode(text.toString(), null, model.options()).length() <= 12
                    && pipeline.windows(text.toString(), Options.DEFAULTS.withAggregation(Aggregation.FIRST).withStride(0)).size() == 1) {
                texts.add(text.toString());
            }
        }
        int compared = 0;
        for (Aggregation a : List.of(Aggregation.SIMPLE, Aggregation.FIRST, Aggregation.AVERAGE, Aggregation.MAX)) {
            for (List<String> ignore : List.of(List.<String>of(), List.of("O"))) {
                Options without = new Options(a, ignore);
                List<TokenClassification.Result> expected = pipeline.classify(texts, without, Capture.NONE);
                for (int stride : new int[] {0, 3, 9}) {
                    List<TokenClassification.Result> actual = pipeline.classify(texts, without.withStride(stride), Capture.NONE);
                    for (int i = 0; i < texts.size(); i++) {
                        assertEquals(expected.get(i).entities(), actual.get(i).entities(), texts.get(i) + " stride " + stride);
                        assertEquals(1, actual.get(i).windows().size());
                        compared += actual.get(i).entities().size();
                    }
                }
            }
        }
        assertTrue(compared > 1000, "entities compared: " + compared);
    }

    @Test
    void aLongTextGivesSortedEntitiesThatNeverOverlapWithTheirWordsAtTheirOffsets() {
        TaskModel model = model("eight", 8);
        TokenClassification pipeline = new TokenClassification(model);
        Random random = new Random(16);
        List<String> words = TinyTasks.WORDS.subList(5, TinyTasks.WORDS.size());
        int windows = 0;
        for (int n = 0; n < 40; n++) {
            StringBuilder text = new StringBuilder();
            int length = 5 + random.nextInt(30);
            for (int i = 0; i < length; i++) {
                text.append(i == 0 ? "" : " ").append(words.get(random.nextInt(words.size())).replace("##", ""));
            }
            for (Aggregation a : List.of(Aggregation.SIMPLE, Aggregation.FIRST, Aggregation.AVERAGE, Aggregation.MAX)) {
                TokenClassification.Result r = pipeline.classify(List.of(text.toString()),
                        new Options(a, List.of(), 1 + random.nextInt(5)), Capture.NONE).getFirst();
                windows += r.windows().size();
                int end = 0;
                for (Entity e : r.entities()) {
                    assertTrue(e.start() >= end && e.end() > e.start() && e.end() <= text.length(), r.entities().toString());
                    assertTrue(e.window() >= 0 && e.window() < r.windows().size());
                    assertTrue(text.substring(e.start(), e.end()).replace(" ", "").equals(e.word().replace(" ", "")), e.toString());
                    end = e.end();
                }
                assertTrue(!r.entities().isEmpty());
            }
        }
        assertTrue(windows > 300, "windows: " + windows);
    }

    @Test
    void eachWindowIsOneSequenceOfARunWhoseTokensTheEntitiesName() {
        TokenClassification pipeline = new TokenClassification(six);
        Options options = Options.DEFAULTS.withAggregation(Aggregation.SIMPLE).withStride(2).withIgnoreLabels(List.of());
        List<TokenClassification.Result> results = pipeline.classify(List.of("john smith", PEOPLE, "the cat sat on the mat ."),
                options, Capture.NONE);
        // "the cat sat on the mat ." is 7 tokens: windows at 0, 2 and 4
        assertEquals(List.of(1, 2, 3), results.stream().map(r -> r.windows().size()).toList());
        assertEquals(List.of(1, 2), results.get(1).windows().stream().map(TaskModel.Window::sequence).toList());
        assertEquals(List.of(3, 4, 5), results.get(2).windows().stream().map(TaskModel.Window::sequence).toList());
        for (TokenClassification.Result r : results) {
            for (Entity e : r.entities()) {
                TaskModel.Window w = r.windows().get(e.window());
                Encoding window = w.run().encodings().get(w.sequence());
                assertEquals(e.start(), window.start(e.tokens().getFirst()), e.toString());
                assertEquals(e.end(), window.end(e.tokens().getLast()), e.toString());
            }
        }
    }

    @Test
    void aTextWithMoreWindowsThanOnePassTakesSpansSeveralPassesInOrder() {
        // four tokens per window, stride 3: a window per token; 80 tokens make 77 windows, more than one pass's 64
        String text = String.join(" ", java.util.Collections.nCopies(40, "john smith"));
        Options options = Options.DEFAULTS.withAggregation(Aggregation.FIRST).withStride(3).withIgnoreLabels(List.of());
        TokenClassification pipeline = new TokenClassification(six);
        List<TokenClassification.Result> results = pipeline.classify(List.of("the cat", text, "new york"), options, Capture.NONE);
        TokenClassification.Result r = results.get(1);
        assertEquals(77, r.windows().size());
        assertEquals(1, r.windows().getFirst().sequence(), "after the first text's window");
        assertTrue(r.windows().get(62).run() == r.windows().getFirst().run());
        assertTrue(r.windows().get(63).run() != r.windows().getFirst().run(), "the 65th window of the batch opens a new pass");
        assertEquals(0, r.windows().get(63).sequence());
        assertTrue(results.get(2).run() == r.windows().getLast().run());
        assertEquals(r.windows().getLast().sequence() + 1, results.get(2).sequence());
        // the same windows in other passes (the text alone) give the same entities, scores to rounding
        List<Entity> alone = pipeline.classify(List.of(text), options, Capture.NONE).getFirst().entities();
        assertEquals(alone.size(), r.entities().size());
        for (int i = 0; i < alone.size(); i++) {
            Entity a = alone.get(i);
            Entity b = r.entities().get(i);
            assertEquals(List.of(a.label(), a.word(), a.start(), a.end(), a.window(), a.tokens()),
                    List.of(b.label(), b.word(), b.start(), b.end(), b.window(), b.tokens()));
            assertEquals(a.score(), b.score(), 1e-6);
        }
        TaskModel.Window last = r.windows().getLast();
        Encoding lastWindow = last.run().encodings().get(last.sequence());
        assertEquals(text.length(), lastWindow.end(lastWindow.length() - 2), "the last window reaches the end of the text");
    }
}
