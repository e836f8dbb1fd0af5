package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.QuestionAnswering.Answer;
import dev.spotlight.models.tasks.QuestionAnswering.Options;
import dev.spotlight.tokenizers.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Question answering's windows and post-processing against cases worked out by hand from
 * transformers' QuestionAnsweringPipeline: doc_stride overflow windows, the masked softmax, spans
 * limited by max_answer_len, top_k, the no-answer score of handle_impossible_answer, answers widened
 * to words, equal answers from two windows summed. transformers.js has none of these but top_k.
 */
class QuestionAnsweringTest {
    private static final double EPS = 1e-12;
    // 12 context tokens: the cat sat on the mat . john lives in paris .
    private static final String CONTEXT = "the cat sat on the mat. john lives in paris.";
    private static final String QUESTION = "where is the cat?";

    @TempDir
    static Path dir;
    static TaskModel model;
    static QuestionAnswering qa;

    @BeforeAll
    static void load() {
        model = TinyTasks.model(dir, "BertForQuestionAnswering", List.of("LABEL_0", "LABEL_1"));
        qa = new QuestionAnswering(model);
    }

    @Test
    void aLongContextOverflowsIntoWindowsRepeatingDocStrideTokens() {
        // question "where is the cat ?" = 5 tokens, 3 specials: max_seq_len 12 leaves 4 context tokens per window
        List<Encoding> windows = qa.windows(QUESTION, CONTEXT, Options.DEFAULTS.withMaxSeqLen(12).withDocStride(2));
        List<String> context = model.tokenizer().encode(CONTEXT).tokens().subList(1, 13); // without [CLS] [SEP]
        assertEquals(12, context.size());
        // windows start every 4 - 2 = 2 context tokens: 0, 2, 4, 6, 8, the last ending at token 12
        assertEquals(5, windows.size());
        for (int w = 0; w < windows.size(); w++) {
            List<String> tokens = windows.get(w).tokens();
            assertEquals(List.of("[CLS]", "where", "is", "the", "cat", "?", "[SEP]"), tokens.subList(0, 7));
            assertEquals(context.subList(2 * w, Math.min(2 * w + 4, 12)), tokens.subList(7, tokens.size() - 1));
            assertEquals("[SEP]", tokens.getLast());
        }
    }

    @Test
    void defaultsArePythonsMaxSeqLen384AndStrideHalfOfItCappedAt128() {
        List<Encoding> windows = qa.windows(QUESTION, CONTEXT, Options.DEFAULTS);
        assertEquals(1, windows.size()); // the tiny model takes 64 tokens: max_seq_len = min(384, 64)
    }

    /** Logits for each window: 0 everywhere except the given (token, start, end) triples. */
    private static List<float[][]> logits(List<Encoding> windows, int[][]... perWindow) {
        List<float[][]> out = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            float[][] l = new float[windows.get(w).length()][2];
            for (int[] set : perWindow[w]) {
                l[set[0]][0] = set[1];
                l[set[0]][1] = set[2];
            }
            out.add(l);
        }
        return out;
    }

    @Test
    void theBestSpanIsStartTimesEndProbabilityOverTheContextAndCls() {
        List<Encoding> windows = qa.windows(QUESTION, CONTEXT, Options.DEFAULTS);
        // [CLS] where is the cat ? [SEP] | the(7) cat sat on the mat(12) .(13) john lives in paris .(18) [SEP](19)
        // the question's tokens get large logits that the mask must ignore
        List<float[][]> logits = logits(windows, new int[][] {{12, 3, 0}, {13, 0, 2}, {3, 9, 9}});
        List<Answer> answers = qa.answers(CONTEXT, windows, logits, Options.DEFAULTS);
        // allowed: [CLS] and the 12 context tokens; start: e^3 among 12 others at e^0; end: e^2 likewise
        double start = Math.exp(3) / (Math.exp(3) + 12);
        double end = Math.exp(2) / (Math.exp(2) + 12);
        assertEquals(1, answers.size());
        Answer a = answers.getFirst();
        assertEquals(start * end, a.score(), EPS);
        assertEquals("mat.", a.answer());
        assertEquals(19, a.start());
        assertEquals(23, a.end());
        assertEquals(12, a.startToken());
        assertEquals(13, a.endToken());
    }

    @Test
    void maxAnswerLenLimitsTheSpanAndTopKListsTheNextBest() {
        List<Encoding> windows = qa.windows(QUESTION, CONTEXT, Options.DEFAULTS);
        List<float[][]> logits = logits(windows, new int[][] {{7, 4, 0}, {12, 3, 0}, {18, 0, 4}});
        // the(7)..paris .(18) is 12 tokens: longer than max_answer_len 10, so start "mat" wins with the same end
        List<Answer> answers = qa.answers(CONTEXT, windows, logits, Options.DEFAULTS.withMaxAnswerLen(10).withTopK(3));
        double z = Math.exp(4) + Math.exp(3) + 11;
        double end = Math.exp(4) / (Math.exp(4) + 12);
        assertEquals("mat. john lives in paris.", answers.get(0).answer());
        assertEquals(Math.exp(3) / z * end, answers.get(0).score(), EPS);
        // then spans of equal scores (start "the" with any end before 17, any other start with end 18): ties
        assertEquals(3, answers.size());
        assertTrue(answers.get(0).score() > answers.get(1).score());
        List<Answer> unlimited = qa.answers(CONTEXT, windows, logits, Options.DEFAULTS.withMaxAnswerLen(15));
        assertEquals("the cat sat on the mat. john lives in paris.", unlimited.getFirst().answer());
        assertEquals(Math.exp(4) / z * end, unlimited.getFirst().score(), EPS);
    }

    @Test
    void handleImpossibleAnswerAddsTheClsScoreAsAnEmptyAnswer() {
        List<Encoding> windows = qa.windows(QUESTION, CONTEXT, Options.DEFAULTS);
        List<float[][]> logits = logits(windows, new int[][] {{0, 5, 5}, {12, 1, 1}});
        Options options = Options.DEFAULTS.withHandleImpossibleAnswer(true).withTopK(2);
        List<Answer> answers = qa.answers(CONTEXT, windows, logits, options);
        double zero = Math.exp(5) / (Math.exp(5) + Math.exp(1) + 11);
        double mat = Math.exp(1) / (Math.exp(5) + Math.exp(1) + 11);
        assertEquals(zero * zero, answers.get(0).score(), EPS);
        assertEquals(new Answer(answers.get(0).score(), 0, 0, "", -1, -1, -1), answers.get(0));
        assertEquals("mat", answers.get(1).answer());
        assertEquals(mat * mat, answers.get(1).score(), EPS);
    }

    @Test
    void equalAnswersFromOverlappingWindowsAddUp() {
        Options options = Options.DEFAULTS.withMaxSeqLen(12).withDocStride(2);
        List<Encoding> windows = qa.windows(QUESTION, CONTEXT, options);
        // window 0: the cat sat on (7..10); window 1: sat on the mat (7..10). "sat" is token 9 in window 0, 7 in window 1
        List<float[][]> logits = logits(windows, new int[][] {{9, 2, 2}}, new int[][] {{7, 2, 2}}, new int[][] {},
                new int[][] {}, new int[][] {});
        List<Answer> answers = qa.answers(CONTEXT, windows, logits, options);
        double p = Math.exp(2) / (Math.exp(2) + 4); // [CLS] and 4 context tokens per window
        assertEquals("sat", answers.getFirst().answer());
        assertEquals(2 * p * p, answers.getFirst().score(), EPS);
        assertEquals(0, answers.getFirst().window());
    }

    @Test
    void aSpanInsideAWordIsWidenedToTheWholeWordUnlessAligningIsOff() {
        String context = "john lives in cats.";
        List<Encoding> windows = qa.windows("who?", context, Options.DEFAULTS);
        // [CLS] who ? [SEP] john(4) lives in cat(7) ##s(8) .(9) [SEP]
        assertEquals("##s", windows.getFirst().token(8));
        List<float[][]> logits = logits(windows, new int[][] {{8, 3, 3}});
        assertEquals("cats", qa.answers(context, windows, logits, Options.DEFAULTS).getFirst().answer());
        assertEquals("s", qa.answers(context, windows, logits, Options.DEFAULTS.withAlignToWords(false)).getFirst().answer());
    }

    @Test
    void aQuestionWithNoRoomForTheContextIsOneClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> qa.windows("where is the cat the cat the cat ?", CONTEXT, Options.DEFAULTS.withMaxSeqLen(12)));
        assertEquals("the question has 9 tokens, which with 3 special tokens leaves no room for the context in max_seq_len 12:"
                + " shorten the question", e.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> qa.windows(QUESTION, CONTEXT, Options.DEFAULTS.withMaxSeqLen(12).withDocStride(4)));
        assertEquals("doc_stride 4 must be less than the 4 context tokens each window holds (max_seq_len 12 minus 5 question"
                + " and 3 special tokens)", stride.getMessage());
    }

    @Test
    void emptyQuestionsAndContextsAreRefused() {
        assertEquals("the question is empty: question answering needs a question", assertThrows(IllegalArgumentException.class,
                () -> qa.answer("", CONTEXT, Options.DEFAULTS, Capture.NONE)).getMessage());
        assertEquals("the context is empty: question answering needs a context", assertThrows(IllegalArgumentException.class,
                () -> qa.answer(QUESTION, "", Options.DEFAULTS, Capture.NONE)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Options.DEFAULTS.withTopK(0));
    }

    @Test
    void leftPaddingPutsTheContextFirstAndMasksNothingAsPythonDoes() {
        TaskModel left = TaskModel.from(dev.spotlight.models.hub.ModelResolver.folder(TinyTasks.folder(dir.resolve("left"),
                "BertForQuestionAnswering", List.of("LABEL_0", "LABEL_1"), c -> { }, TinyTasks.wordPiece(),
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("padding_side", "left"))), null);
        QuestionAnswering leftQa = new QuestionAnswering(left);
        String context = "john lives in paris.";
        List<Encoding> windows = leftQa.windows("who?", context, Options.DEFAULTS);
        // [CLS] john lives in paris . [SEP] who ? [SEP]: the context is the first sequence
        assertEquals(List.of("[CLS]", "john", "lives", "in", "paris", ".", "[SEP]", "who", "?", "[SEP]"), windows.getFirst().tokens());
        // p_mask is all zeros then: every token may answer, and the softmax runs over all 10
        List<float[][]> logits = logits(windows, new int[][] {{4, 2, 2}});
        Answer a = leftQa.answers(context, windows, logits, Options.DEFAULTS).getFirst();
        double p = Math.exp(2) / (Math.exp(2) + 9);
        assertEquals(p * p, a.score(), EPS);
        assertEquals("paris", a.answer());
    }

    @Test
    void theWholePipelineRunsEveryWindowThroughTheModel() {
        QuestionAnswering.Result result = qa.answer(QUESTION, CONTEXT, Options.DEFAULTS.withMaxSeqLen(12).withDocStride(2),
                Capture.ATTENTIONS);
        assertEquals(5, result.windows().size());
        for (int w = 0; w < 5; w++) {
            assertEquals(w, result.windows().get(w).sequence());
            assertEquals(result.windows().getFirst().run(), result.windows().get(w).run(), "five windows, one forward pass");
        }
        assertEquals(1, result.answers().size());
        Answer a = result.answers().getFirst();
        assertEquals(CONTEXT.substring(a.start(), a.end()), a.answer());
        assertEquals(result.answers(), qa.answer(QUESTION, CONTEXT, Options.DEFAULTS.withMaxSeqLen(12).withDocStride(2)));
    }

    /**
     * "😀 ", then 1,750 words unknown to the vocabulary, each a different answer text (Python sums the
     * scores of equal answers from several windows), then the only "paris".
     */
    private static final String LONG_CONTEXT = "😀 " + java.util.stream.IntStream.range(0, 1750).mapToObj(i -> "w" + i)
            .collect(java.util.stream.Collectors.joining(" ")) + " john lives in paris.";

    @Test
    void theWindowsReachTheEndOfALongContextAsTokenizersBefore0231CutThem() {
        // tokenizers 0.23.1-0.23.2 tokenize the context only up to max_seq_len tokens: their windows stop near "w10"
        Options options = Options.DEFAULTS.withMaxSeqLen(12).withDocStride(2);
        List<Encoding> windows = qa.windows(QUESTION, LONG_CONTEXT, options);
        List<String> context = model.tokenizer().encode(LONG_CONTEXT, null, new dev.spotlight.tokenizers.EncodeOptions(false, null, null))
                .tokens();
        assertEquals(1 + 1750 + 5, context.size());
        // 4 context tokens per window, a new window every 2: windows start at 0, 2, ..., the last ending with the context
        assertEquals((context.size() - 4 + 1) / 2 + 1, windows.size());
        List<String> last = windows.getLast().tokens();
        assertEquals(List.of("paris", ".", "[SEP]"), last.subList(last.size() - 3, last.size()));
        for (int w = 0; w < windows.size(); w++) {
            List<String> tokens = windows.get(w).tokens();
            assertEquals(context.subList(2 * w, Math.min(2 * w + 4, context.size())), tokens.subList(7, tokens.size() - 1));
        }
    }

    /**
     * The answer lies 1,750 tokens past where the first window ends, and past the whole reach of
     * tokenizers 0.23.2's windows: it is found, in the one window that holds it, with its character span
     * in the original context (code points: the emoji before it counts one) and the score worked out
     * from the logits 8 and 0 ({@link TinyTasks#answerFinder}), whether the question comes first (right padding) or the context does
     * (left padding, nothing masked). Its 877 windows run in 14 forward passes of at most 64.
     */
    @Test
    void anAnswerPastTheFirstWindowsReachIsFoundWithItsSpanInTheContext() {
        int paris = LONG_CONTEXT.codePointCount(0, LONG_CONTEXT.indexOf("paris"));
        assertEquals(LONG_CONTEXT.indexOf("paris") - 1, paris);
        for (String side : List.of("right", "left")) {
            QuestionAnswering finder = new QuestionAnswering(TaskModel.from(dev.spotlight.models.hub.ModelResolver.folder(
                    TinyTasks.answerFinder(dir.resolve("paris-" + side), "paris", side)), null));
            Options options = Options.DEFAULTS.withMaxSeqLen(12).withDocStride(2);
            QuestionAnswering.Result result = finder.answer(QUESTION, LONG_CONTEXT, options, Capture.NONE);
            assertEquals(877, result.windows().size(), side);
            assertEquals(14, result.windows().stream().map(TaskModel.Window::run).distinct().count(), side);
            Answer a = result.answers().getFirst();
            assertEquals("paris", a.answer(), side);
            assertEquals(paris, a.start(), side);
            assertEquals(paris + 5, a.end(), side);
            Encoding window = result.windows().get(a.window()).encoding();
            assertEquals("paris", window.token(a.startToken()), side);
            assertEquals(a.startToken(), a.endToken(), side);
            assertEquals(876, a.window(), side + ": the last window, the only one that holds paris");
            // the tokens the softmax runs over: [CLS] and the context's, or all of them with the context first
            int allowed = 0;
            for (int t = 0; t < window.length(); t++) {
                allowed += side.equals("left") || window.sequenceIds()[t] == 1 || t == 0 ? 1 : 0;
            }
            double p = Math.exp(8) / (Math.exp(8) + allowed - 1);
            assertEquals(p * p, a.score(), 1e-6, side);
            assertEquals(result.answers(), finder.answer(QUESTION, LONG_CONTEXT, options), side);
        }
    }
}
