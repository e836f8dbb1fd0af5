package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.tasks.TokenClassification.Aggregation;
import dev.spotlight.models.tasks.TokenClassification.Entity;
import dev.spotlight.models.tasks.TokenClassification.Options;
import dev.spotlight.tokenizers.Encoding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token-classification post-processing on logits set by hand, each expectation worked out from
 * transformers' TokenClassificationPipeline by hand (softmax of the few logits, the aggregation
 * rules, B-/I- grouping): the strategies first / average / max and the sub-word rules, which
 * transformers.js does not have, rest on these cases.
 */
class TokenClassificationTest {
    static final List<String> LABELS = List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC");
    private static final double EPS = 1e-12;

    @TempDir
    static Path dir;
    static TaskModel wordPiece;
    static TaskModel bpe;

    @BeforeAll
    static void models() {
        wordPiece = TinyTasks.model(dir.resolve("wp"), "BertForTokenClassification", LABELS);
        bpe = TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir.resolve("bpe"), "BertForTokenClassification", LABELS,
                c -> { }, TinyTasks.bpe(), null)), null);
    }

    /** e^a / (e^a + rest · e^0): the probability of the label given logit a when the other labels have 0. */
    static double p(double a, int rest) {
        return Math.exp(a) / (Math.exp(a) + rest);
    }

    private static List<Entity> run(TaskModel model, String text, Map<Integer, float[]> rows, Options options) {
        Encoding e = model.tokenizer().encode(text, null, model.options());
        float[][] logits = new float[e.length()][];
        for (int t = 0; t < e.length(); t++) {
            logits[t] = rows.getOrDefault(t, new float[LABELS.size()]);
        }
        return new TokenClassification(model).entities(text, e, logits, options);
    }

    /** Logit {@code value} for {@code label}, 0 for the others. */
    static float[] row(String label, double value) {
        float[] r = new float[LABELS.size()];
        r[LABELS.indexOf(label)] = (float) value;
        return r;
    }

    private static final String PEOPLE = "John Smith lives in New York";
    // [CLS] john smith lives in new york [SEP]
    private static final Map<Integer, float[]> PEOPLE_ROWS = Map.of(1, row("B-PER", 2), 2, row("I-PER", 2), 3, row("O", 2),
            4, row("O", 2), 5, row("B-LOC", 2), 6, row("I-LOC", 2));

    @Test
    void noneGivesEveryTokenNotLabelledOWithItsIndexAndCharacters() {
        List<Entity> entities = run(wordPiece, PEOPLE, PEOPLE_ROWS, Options.DEFAULTS);
        double p = p(2, 6);
        assertEntity(entities.get(0), "B-PER", p, "john", 0, 4, 1);
        assertEntity(entities.get(1), "I-PER", p, "smith", 5, 10, 2);
        assertEntity(entities.get(2), "B-LOC", p, "new", 20, 23, 5);
        assertEntity(entities.get(3), "I-LOC", p, "york", 24, 28, 6);
        assertEquals(4, entities.size());
    }

    @Test
    void simpleGroupsBThenIOfOneTagIntoOneEntity() {
        List<Entity> entities = run(wordPiece, PEOPLE, PEOPLE_ROWS, Options.DEFAULTS.withAggregation(Aggregation.SIMPLE));
        assertEquals(2, entities.size());
        assertEntity(entities.get(0), "PER", p(2, 6), "john smith", 0, 10, -1);
        assertEntity(entities.get(1), "LOC", p(2, 6), "new york", 20, 28, -1);
        assertEquals(List.of(1, 2), entities.get(0).tokens());
    }

    @Test
    void ignoreLabelsFiltersGroupsAfterGroupingSoOGroupsAppearWhenNotIgnored() {
        List<Entity> all = run(wordPiece, PEOPLE, PEOPLE_ROWS, new Options(Aggregation.SIMPLE, List.of()));
        assertEquals(List.of("PER", "O", "LOC"), all.stream().map(Entity::label).toList());
        assertEntity(all.get(1), "O", p(2, 6), "lives in", 11, 19, -1);
        List<Entity> noPeople = run(wordPiece, PEOPLE, PEOPLE_ROWS, new Options(Aggregation.SIMPLE, List.of("O", "PER")));
        assertEquals(List.of("LOC"), noPeople.stream().map(Entity::label).toList());
    }

    @Test
    void anOBetweenTwoTagsSplitsThemButTwoBTagsNeverMerge() {
        // john B-PER, smith B-PER: two groups; lives O then in I-PER: a new PER group after the O
        Map<Integer, float[]> rows = Map.of(1, row("B-PER", 2), 2, row("B-PER", 2), 3, row("O", 2), 4, row("I-PER", 2),
                5, row("O", 2), 6, row("O", 2));
        List<Entity> entities = run(wordPiece, PEOPLE, rows, Options.DEFAULTS.withAggregation(Aggregation.SIMPLE));
        assertEquals(List.of("john", "smith", "in"), entities.stream().map(Entity::word).toList());
    }

    // "john works at microsoft": [CLS] john works at mic ##ro ##soft [SEP]; microsoft is characters 14..23
    private static final String COMPANY = "john works at microsoft";
    private static final float[] SOFT = row("I-ORG", 2);

    static {
        SOFT[LABELS.indexOf("B-ORG")] = 1.5f;
    }

    private static final Map<Integer, float[]> COMPANY_ROWS = Map.of(1, row("B-PER", 2), 2, row("O", 2), 3, row("O", 2),
            4, row("B-ORG", 3), 5, row("I-PER", 4), 6, SOFT);

    @Test
    void simpleKeepsDisagreeingSubWordsApart() {
        List<Entity> entities = run(wordPiece, COMPANY, COMPANY_ROWS, Options.DEFAULTS.withAggregation(Aggregation.SIMPLE));
        assertEquals(List.of("PER", "ORG", "PER", "ORG"), entities.stream().map(Entity::label).toList());
        // the decoder keeps a leading "##" on a group's first token, as Rust's WordPiece decoder does
        assertEquals(List.of("john", "mic", "##ro", "##soft"), entities.stream().map(Entity::word).toList());
        assertEntity(entities.get(2), "PER", p(4, 6), "##ro", 17, 19, -1);
    }

    @Test
    void firstLabelsTheWholeWordWithItsFirstToken() {
        List<Entity> entities = run(wordPiece, COMPANY, COMPANY_ROWS, Options.DEFAULTS.withAggregation(Aggregation.FIRST));
        assertEquals(2, entities.size());
        assertEntity(entities.get(1), "ORG", p(3, 6), "microsoft", 14, 23, -1);
        assertEquals(List.of(4, 5, 6), entities.get(1).tokens());
    }

    @Test
    void maxLabelsTheWholeWordWithItsMostConfidentToken() {
        List<Entity> entities = run(wordPiece, COMPANY, COMPANY_ROWS, Options.DEFAULTS.withAggregation(Aggregation.MAX));
        // ##ro's I-PER (e^4 / (e^4 + 6)) beats mic's B-ORG; after "works at" (O) the word opens a new PER group
        assertEquals(List.of("PER", "PER"), entities.stream().map(Entity::label).toList());
        assertEntity(entities.get(1), "PER", p(4, 6), "microsoft", 14, 23, -1);
    }

    @Test
    void averageLabelsTheWholeWordWithTheMeanOfItsTokensProbabilities() {
        List<Entity> entities = run(wordPiece, COMPANY, COMPANY_ROWS, Options.DEFAULTS.withAggregation(Aggregation.AVERAGE));
        double softTotal = Math.exp(2) + Math.exp(1.5) + 5;
        double bOrg = (p(3, 6) + 1 / (Math.exp(4) + 6) + Math.exp(1.5) / softTotal) / 3;
        double iPer = (1 / (Math.exp(3) + 6) + p(4, 6) + 1 / softTotal) / 3;
        double iOrg = (1 / (Math.exp(3) + 6) + 1 / (Math.exp(4) + 6) + Math.exp(2) / softTotal) / 3;
        assertEquals(true, bOrg > iPer && bOrg > iOrg);
        assertEntity(entities.get(1), "ORG", bOrg, "microsoft", 14, 23, -1);
    }

    @Test
    void anUnknownTokenIsItsOriginalTextAndStartsAWord() {
        List<Entity> entities = run(wordPiece, "John Zzyzx", Map.of(1, row("B-PER", 2), 2, row("I-PER", 2)), Options.DEFAULTS);
        assertEntity(entities.get(1), "I-PER", p(2, 6), "Zzyzx", 5, 10, 2);
    }

    @Test
    void withoutASubWordPrefixATokenNotAfterASpaceContinuesTheWord() {
        // <s> Micro soft Box . </s>: "soft" follows "Micro" directly (a sub-word), "Box" and "." ... "." follows "Box" directly
        Map<Integer, float[]> rows = Map.of(1, row("B-ORG", 3), 2, row("B-LOC", 2), 3, row("B-PER", 2), 4, row("O", 2));
        List<Entity> first = run(bpe, "Microsoft Box.", rows, Options.DEFAULTS.withAggregation(Aggregation.FIRST));
        assertEquals(2, first.size());
        // no decoder: tokens joined by spaces, as Python's convert_tokens_to_string without one
        assertEntity(first.get(0), "ORG", p(3, 6), "Micro soft", 0, 9, -1);
        // "Box" and "." form one word (no space between them): its first token's B-PER wins
        assertEntity(first.get(1), "PER", p(2, 6), "Box .", 10, 14, -1);
    }

    @Test
    void aStrategyNameParsesCaseInsensitivelyAndAnUnknownOneIsNamed() {
        assertEquals(Aggregation.AVERAGE, Aggregation.parse("Average"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aggregation.parse("longest"));
        assertEquals("aggregation strategy 'longest' is not one of none, simple, first, average, max", e.getMessage());
    }

    @Test
    void theWholePipelineRunsTheModelOnEveryText() {
        TokenClassification pipeline = new TokenClassification(wordPiece);
        List<TokenClassification.Result> results = pipeline.classify(List.of(PEOPLE, "the cat sat on the mat ."),
                new Options(Aggregation.NONE, List.of()), dev.spotlight.models.Capture.ATTENTIONS);
        assertEquals(6, results.get(0).entities().size());
        assertEquals(7, results.get(1).entities().size());
        // more texts than one forward pass takes: each result names its pass and its place in it, alone or not
        List<String> many = java.util.Collections.nCopies(TaskModel.BATCH + 6, "john smith lives in new york");
        List<TokenClassification.Result> all = pipeline.classify(many, Options.DEFAULTS, dev.spotlight.models.Capture.NONE);
        assertEquals(TaskModel.BATCH + 6, all.size());
        assertEquals(5, all.getLast().sequence());
        assertEquals(all.getFirst().entities(), all.getLast().entities());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline.classify(List.of(),
                Options.DEFAULTS, dev.spotlight.models.Capture.NONE));
        assertEquals("no texts given: at least one is needed", e.getMessage());
    }

    static void assertEntity(Entity e, String label, double score, String word, int start, int end, int index) {
        assertEquals(label, e.label(), e.toString());
        assertEquals(score, e.score(), EPS, e.toString());
        assertEquals(word, e.word(), e.toString());
        assertEquals(start, e.start(), e.toString());
        assertEquals(end, e.end(), e.toString());
        assertEquals(index, e.index(), e.toString());
    }
}
