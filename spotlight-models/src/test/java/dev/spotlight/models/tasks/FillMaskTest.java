package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.Capture;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.tasks.FillMask.Fill;
import dev.spotlight.models.tasks.FillMask.Options;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fill-mask's top_k, targets (transformers.js has none), several masks and decoding, checked against the run's own logits. */
class FillMaskTest {
    @TempDir
    static Path dir;
    static TaskModel model;
    static FillMask fill;

    @BeforeAll
    static void load() {
        model = TaskModel.from(ModelResolver.folder(TinyTasks.folder(dir, "BertForMaskedLM", List.of("LABEL_0", "LABEL_1"), c -> { },
                TinyTasks.wordPiece(), new ObjectMapper().createObjectNode().put("clean_up_tokenization_spaces", true))), null);
        fill = new FillMask(model);
    }

    private static double[] probabilities(FillMask.Result r, int mask) {
        return TokenClassification.softmax(model.maskedLmLogits(r.run(), 0, r.maskTokens().get(mask)));
    }

    @Test
    void topKAreTheMostProbableTokensWithTheFilledSequence() {
        FillMask.Result r = fill.fill("the cat [MASK] on the mat.", Options.DEFAULTS, Capture.NONE);
        double[] p = probabilities(r, 0);
        List<Fill> fills = r.masks().getFirst();
        assertEquals(5, fills.size());
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        for (int k = 0; k < 5; k++) {
            Fill f = fills.get(k);
            assertEquals(order[k], f.token());
            assertEquals(p[order[k]], f.score(), 1e-12);
            assertEquals(TinyTasks.WORDS.get(order[k]), f.tokenStr().replace(" ", ""));
        }
        Fill top = fills.getFirst();
        String word = TinyTasks.WORDS.get(top.token());
        // special tokens skipped, clean_up_tokenization_spaces joins " ." to the word before it
        String expected = top.token() < 5 ? "the cat on the mat." : word.startsWith("##")
                ? "the cat" + word.substring(2) + " on the mat." : "the cat " + word + " on the mat.";
        assertEquals(expected, top.sequence());
    }

    @Test
    void targetsRestrictTheVocabularyAndCapTopK() {
        FillMask.Result r = fill.fill("the cat [MASK] on the mat.", new Options(5, List.of("sat", "lives", "Sat", "zebra")),
                Capture.NONE);
        double[] p = probabilities(r, 0);
        int sat = TinyTasks.WORDS.indexOf("sat");
        int lives = TinyTasks.WORDS.indexOf("lives");
        // "Sat" is not in the vocabulary: tokenized, it is "sat" again (counted once); "zebra" tokenizes to [UNK]
        List<Fill> fills = r.masks().getFirst();
        assertEquals(3, fills.size());
        assertEquals(java.util.Set.of(sat, lives, 1), java.util.Set.copyOf(fills.stream().map(Fill::token).toList()));
        for (Fill f : fills) {
            assertEquals(p[f.token()], f.score(), 1e-12);
        }
    }

    @Test
    void eachOfSeveralMasksIsFilledAloneWithTheOtherMaskKept() {
        FillMask.Result r = fill.fill("[MASK] lives in [MASK].", new Options(2, List.of("john", "paris")), Capture.NONE);
        assertEquals(2, r.masks().size());
        Fill first = r.masks().get(0).stream().filter(f -> f.token() == TinyTasks.WORDS.indexOf("john")).findFirst().orElseThrow();
        assertEquals("[CLS] john lives in [MASK]. [SEP]", first.sequence());
    }

    @Test
    void anInputWithoutAMaskIsOneClearError() {
        assertEquals("no mask token ([MASK]) found in the input \"the cat sat\"", assertThrows(IllegalArgumentException.class,
                () -> fill.fill("the cat sat", Options.DEFAULTS, Capture.NONE)).getMessage());
        assertEquals("none of the targets [] has a token in the vocabulary: give at least one that does",
                assertThrows(IllegalArgumentException.class, () -> fill.fill("[MASK]", new Options(1, List.of()), Capture.NONE))
                        .getMessage());
    }

    @Test
    void cleanUpRemovesSpacesBeforePunctuationAndContractions() {
        assertEquals("it's a cat, isn't it?", FillMask.cleanUp("it 's a cat , is n't it ?"));
    }
}
