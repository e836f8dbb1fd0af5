package dev.spotlight.models.tasks;

import dev.spotlight.models.Capture;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.TokenizerException;
import dev.spotlight.tokenizers.Truncation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Extractive question answering with the semantics of transformers' {@code QuestionAnsweringPipeline}
 * (fast tokenizers): the question and the context are tokenized as a pair truncated only on the
 * context, a long context overflowing into windows that repeat {@code doc_stride} tokens; per window
 * the start and end logits of tokens outside the context are masked, each softmaxed, the [CLS] pair
 * kept aside as the no-answer score, and spans of at most {@code max_answer_len} tokens ranked by
 * start × end probability; spans are widened to whole words ({@code align_to_words}) and returned as
 * code point offsets into the context; equal answers (ignoring case) from several windows add up.
 *
 * <p>The windows cover the whole context, as tokenizers up to 0.22.2 cut them: 0.23.1 and 0.23.2 stop
 * tokenizing the context at max_seq_len tokens, so that an answer further on could never be found (see
 * {@link dev.spotlight.tokenizers.Tokenizer#encodeWholeText(String, String, EncodeOptions)}). They run
 * through the model {@link TaskModel#BATCH} at a time, so a long context spans several forward passes.
 */
public final class QuestionAnswering {
    /** Python's defaults: {@code max_seq_len} min(model_max_length, 384), {@code doc_stride} min(max_seq_len / 2, 128). */
    private static final int DEFAULT_MAX_SEQ_LEN = 384;
    private static final int DEFAULT_DOC_STRIDE = 128;
    /** The logit Python gives tokens outside the context before its softmax. */
    private static final double MASKED = -10000.0;

    /**
     * @param docStride -1: Python's default
     * @param maxSeqLen -1: Python's default
     */
    public record Options(int topK, int docStride, int maxAnswerLen, int maxSeqLen, boolean handleImpossibleAnswer,
                          boolean alignToWords) {
        public static final Options DEFAULTS = new Options(1, -1, 15, -1, false, true);

        public Options {
            if (topK < 1) {
                throw new IllegalArgumentException("top_k " + topK + " is less than 1");
            }
            if (maxAnswerLen < 1) {
                throw new IllegalArgumentException("max_answer_len " + maxAnswerLen + " is less than 1");
            }
            if (docStride < -1 || maxSeqLen < -1 || maxSeqLen == 0) {
                throw new IllegalArgumentException("doc_stride " + docStride + " / max_seq_len " + maxSeqLen
                        + " invalid, expected >= 0 / >= 1 (or -1 for the default)");
            }
        }

        public Options withTopK(int k) {
            return new Options(k, docStride, maxAnswerLen, maxSeqLen, handleImpossibleAnswer, alignToWords);
        }

        public Options withDocStride(int stride) {
            return new Options(topK, stride, maxAnswerLen, maxSeqLen, handleImpossibleAnswer, alignToWords);
        }

        public Options withMaxAnswerLen(int len) {
            return new Options(topK, docStride, len, maxSeqLen, handleImpossibleAnswer, alignToWords);
        }

        public Options withMaxSeqLen(int len) {
            return new Options(topK, docStride, maxAnswerLen, len, handleImpossibleAnswer, alignToWords);
        }

        public Options withHandleImpossibleAnswer(boolean handle) {
            return new Options(topK, docStride, maxAnswerLen, maxSeqLen, handle, alignToWords);
        }

        public Options withAlignToWords(boolean align) {
            return new Options(topK, docStride, maxAnswerLen, maxSeqLen, handleImpossibleAnswer, align);
        }
    }

    /**
     * An answer: code point offsets into the context and the text there. The no-answer of
     * {@code handle_impossible_answer} is start = end = 0, "" and window -1.
     *
     * @param window     which overflow window (encoding of the run) it came from; -1 for no answer
     * @param startToken first token of the span in that window's encoding, -1 for no answer
     * @param endToken   last token (inclusive), -1 for no answer
     */
    public record Answer(double score, int start, int end, String answer, int window, int startToken, int endToken) {
    }

    /**
     * The answers to one question, best first, and where each of its windows ran ({@link Answer#window()}
     * indexes {@code windows}): with attention when captured.
     */
    public record Result(String question, String context, List<Answer> answers, List<TaskModel.Window> windows) {
        public Result {
            answers = List.copyOf(answers);
            windows = List.copyOf(windows);
        }
    }

    private final TaskModel model;

    public QuestionAnswering(TaskModel model) {
        if (model.task() != Task.QUESTION_ANSWERING) {
            throw new IllegalArgumentException(model.name() + " is a " + model.task().description()
                    + " model, expected …ForQuestionAnswering");
        }
        this.model = model;
    }

    /** The answers alone: each forward pass is let go once its logits are read. */
    public List<Answer> answer(String question, String context, Options options) {
        return answer(question, context, options, Capture.NONE, null);
    }

    public Result answer(String question, String context, Options options, Capture capture) {
        List<TaskModel.Window> ran = new ArrayList<>();
        List<Answer> answers = answer(question, context, options, capture, ran);
        return new Result(question, context, answers, ran);
    }

    /** Every window through the model, {@link TaskModel#BATCH} per pass; where each ran is added to {@code ran} (nullable). */
    private List<Answer> answer(String question, String context, Options options, Capture capture, List<TaskModel.Window> ran) {
        Inputs.requireText(question, "question");
        Inputs.requireText(context, "context");
        List<Encoding> windows = windows(question, context, options);
        List<float[][]> logits = new ArrayList<>(windows.size()); // per window [tokens][start, end]
        for (int from = 0; from < windows.size(); from += TaskModel.BATCH) {
            List<Encoding> pass = windows.subList(from, Math.min(from + TaskModel.BATCH, windows.size()));
            TaskModel.Run run = model.run(pass, capture);
            for (int w = 0; w < pass.size(); w++) {
                float[][] window = new float[pass.get(w).length()][];
                for (int t = 0; t < window.length; t++) {
                    window[t] = run.logits(w, t);
                }
                logits.add(window);
                if (ran != null) {
                    ran.add(new TaskModel.Window(run, w));
                }
            }
        }
        return answers(context, windows, logits, options);
    }

    /**
     * The model inputs: the pair truncated on the context into overflow windows over the whole context,
     * in the order {@link Answer#window()} counts them.
     */
    public List<Encoding> windows(String question, String context, Options options) {
        int longest = model.maxLength();
        int maxSeqLen = options.maxSeqLen() > 0 ? options.maxSeqLen() : Math.min(DEFAULT_MAX_SEQ_LEN, longest);
        if (maxSeqLen > longest) {
            throw new IllegalArgumentException("max_seq_len " + maxSeqLen + " is more than the " + longest + " tokens "
                    + model.name() + " takes");
        }
        int stride = options.docStride() >= 0 ? options.docStride() : Math.min(maxSeqLen / 2, DEFAULT_DOC_STRIDE);
        if (stride > maxSeqLen) {
            throw new IllegalArgumentException("doc_stride (" + stride + ") is larger than max_seq_len (" + maxSeqLen + ")");
        }
        boolean questionFirst = model.settings().paddingRight();
        int questionTokens = model.tokenizer().encode(question, null, new EncodeOptions(false, null, null)).length();
        int special = model.tokenizer().postProcessor().map(p -> p.addedTokens(true)).orElse(0);
        int room = maxSeqLen - questionTokens - special;
        if (room <= 0) {
            throw new IllegalArgumentException("the question has " + questionTokens + " tokens, which with " + special
                    + " special tokens leaves no room for the context in max_seq_len " + maxSeqLen + ": shorten the question");
        }
        Truncation truncation = new Truncation(maxSeqLen,
                questionFirst ? Truncation.Strategy.OnlySecond : Truncation.Strategy.OnlyFirst, Direction.Right, stride);
        EncodeOptions encode = new EncodeOptions(true, null, truncation);
        Encoding encoding;
        try {
            // the whole context: tokenizers 0.23.1-0.23.2 would cut its windows short at max_seq_len tokens
            encoding = questionFirst ? model.tokenizer().encodeWholeText(question, context, encode)
                    : model.tokenizer().encodeWholeText(context, question, encode);
        } catch (TokenizerException e) {
            if (stride >= room) {
                throw new IllegalArgumentException("doc_stride " + stride + " must be less than the " + room
                        + " context tokens each window holds (max_seq_len " + maxSeqLen + " minus " + questionTokens
                        + " question and " + special + " special tokens)", e);
            }
            throw new IllegalArgumentException("the context cannot be cut into windows: " + e.getMessage(), e);
        }
        List<Encoding> windows = new ArrayList<>();
        windows.add(encoding);
        windows.addAll(encoding.overflowing());
        return windows;
    }

    /** Python's postprocess over every window's logits [tokens][start, end]. */
    List<Answer> answers(String context, List<Encoding> windows, List<float[][]> logits, Options options) {
        boolean questionFirst = model.settings().paddingRight();
        int[] points = context.codePoints().toArray();
        double minNull = 1_000_000;
        List<Answer> answers = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Encoding window = windows.get(w);
            int n = window.length();
            boolean[] allowed = allowed(window, questionFirst);
            double[] start = new double[n];
            double[] end = new double[n];
            for (int t = 0; t < n; t++) {
                start[t] = allowed[t] ? logits.get(w)[t][0] : MASKED;
                end[t] = allowed[t] ? logits.get(w)[t][1] : MASKED;
            }
            start = softmax(start);
            end = softmax(end);
            if (options.handleImpossibleAnswer()) {
                minNull = Math.min(minNull, start[0] * end[0]);
            }
            start[0] = 0;
            end[0] = 0;
            for (Span span : topSpans(start, end, allowed, options.topK(), options.maxAnswerLen())) {
                int[] chars = indices(window, span.start(), span.end(), questionFirst ? 1 : 0, options.alignToWords());
                String text = new String(points, chars[0], chars[1] - chars[0]);
                int same = indexOfAnswer(answers, text);
                if (same >= 0) {
                    Answer a = answers.get(same);
                    answers.set(same, new Answer(a.score() + span.score(), a.start(), a.end(), a.answer(), a.window(),
                            a.startToken(), a.endToken()));
                } else {
                    answers.add(new Answer(span.score(), chars[0], chars[1], text, w, span.start(), span.end()));
                }
            }
        }
        if (options.handleImpossibleAnswer()) {
            answers.add(new Answer(minNull, 0, 0, "", -1, -1, -1));
        }
        List<Answer> sorted = new ArrayList<>(answers);
        sorted.sort(Comparator.comparingDouble(Answer::score).reversed()); // stable, as Python's sorted
        return List.copyOf(sorted.subList(0, Math.min(options.topK(), sorted.size())));
    }

    /** 1 - p_mask: the context's tokens (everything when the context comes first, as in Python) and [CLS]. */
    private boolean[] allowed(Encoding window, boolean questionFirst) {
        int[] sequence = window.sequenceIds();
        int[] ids = window.ids();
        boolean[] out = new boolean[ids.length];
        for (int t = 0; t < ids.length; t++) {
            out[t] = !questionFirst || sequence[t] == 1 || ids[t] == model.settings().clsId();
        }
        return out;
    }

    record Span(int start, int end, double score) {
    }

    /**
     * decode_spans: the top_k spans start ≤ end < start + max_answer_len by start × end probability,
     * then those not wholly on allowed tokens dropped (so fewer than top_k may remain). Python picks
     * among all of the matrix's entries, zeros included; spans of probability 0 are never listed here.
     */
    static List<Span> topSpans(double[] start, double[] end, boolean[] allowed, int topK, int maxAnswerLen) {
        List<Span> candidates = new ArrayList<>();
        for (int i = 0; i < start.length; i++) {
            for (int j = i; j < Math.min(end.length, i + maxAnswerLen); j++) {
                double score = start[i] * end[j];
                if (score > 0) {
                    candidates.add(new Span(i, j, score));
                }
            }
        }
        // highest first; ties in matrix order (start, then end), as numpy's argmax takes the first
        candidates.sort(Comparator.comparingDouble(Span::score).reversed());
        List<Span> out = new ArrayList<>();
        for (Span s : candidates.subList(0, Math.min(topK, candidates.size()))) {
            if (allowed[s.start()] && allowed[s.end()]) {
                out.add(s);
            }
        }
        return out;
    }

    /** get_indices: the span's characters, widened to the words of its first and last token when aligning to words. */
    private static int[] indices(Encoding window, int s, int e, int sequence, boolean alignToWords) {
        if (alignToWords) {
            int[] words = window.wordIds();
            if (words[s] >= 0 && words[e] >= 0) {
                int[] first = wordToTokens(window, words[s], sequence);
                int[] last = wordToTokens(window, words[e], sequence);
                if (first != null && last != null) {
                    return new int[] {window.start(first[0]), window.end(last[1] - 1)};
                }
            }
        }
        return new int[] {window.start(s), window.end(e)};
    }

    /** Rust's Encoding::word_to_tokens: [first, last + 1) of the word's tokens in the sequence, or null. */
    private static int[] wordToTokens(Encoding window, int word, int sequence) {
        int[] sequences = window.sequenceIds();
        int[] words = window.wordIds();
        int first = -1;
        int end = -1;
        for (int t = 0; t < words.length; t++) {
            if (sequences[t] != sequence || words[t] < 0) {
                continue;
            }
            if (words[t] > word) {
                break;
            }
            if (words[t] == word) {
                first = first < 0 ? t : first;
                end = t + 1;
            }
        }
        return first < 0 ? null : new int[] {first, end};
    }

    private static int indexOfAnswer(List<Answer> answers, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).answer().toLowerCase(Locale.ROOT).equals(lower)) {
                return i;
            }
        }
        return -1;
    }

    private static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
