package dev.spotlight.spark;

import dev.spotlight.models.tasks.QuestionAnswering;
import dev.spotlight.models.tasks.QuestionAnswering.Answer;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Question ({@code inputCol}, default {@code question}) and context ({@code contextCol}) → answers,
 * best first, each row what the library's {@link QuestionAnswering} gives (transformers'
 * {@code QuestionAnsweringPipeline}: a long context in overlapping windows, spans widened to words):
 * an array of {@code score, start, end, answer} structs, {@code start}/{@code end} code point offsets
 * into the context, at most {@code topK} of them (fewer when fewer spans qualify). With
 * {@code handleImpossibleAnswer} the empty answer (start = end = 0) competes too. A null question or
 * context gives null; an empty one is an invalid row (the pipeline needs both), as is a question that
 * leaves no room for the context in {@code maxSeqLen}.
 */
public final class SpotlightQuestionAnswerer extends TaskStage<SpotlightQuestionAnswerer> {
    private final Param<String> contextCol = new Param<>(this, "contextCol", "the context column (string)");
    private final IntParam topK = new IntParam(this, "topK", "answers per row, best first", ParamValidators.gtEq(1));
    private final IntParam docStride = new IntParam(this, "docStride", "tokens a context window repeats from the previous"
            + " one; -1 = min(maxSeqLen / 2, 128), the pipeline's default", ParamValidators.gtEq(-1));
    private final IntParam maxAnswerLen = new IntParam(this, "maxAnswerLen", "the longest answer, in tokens",
            ParamValidators.gtEq(1));
    private final IntParam maxSeqLen = new IntParam(this, "maxSeqLen", "tokens per window, question included; -1 ="
            + " min(model_max_length, 384), the pipeline's default", ParamValidators.gtEq(-1));
    private final BooleanParam handleImpossibleAnswer = new BooleanParam(this, "handleImpossibleAnswer",
            "also offer the empty answer, scored by [CLS]");
    private final BooleanParam alignToWords = new BooleanParam(this, "alignToWords",
            "widen an answer to whole words (true) or keep the span's own characters (false)");

    public SpotlightQuestionAnswerer() {
        this(Identifiable.randomUID("spotlightQuestionAnswerer"));
    }

    public SpotlightQuestionAnswerer(String uid) {
        super(uid, "question", "answers", Task.QUESTION_ANSWERING);
        QuestionAnswering.Options d = QuestionAnswering.Options.DEFAULTS;
        setDefault(contextCol, "context");
        setDefault(topK, d.topK());
        setDefault(docStride, d.docStride());
        setDefault(maxAnswerLen, d.maxAnswerLen());
        setDefault(maxSeqLen, d.maxSeqLen());
        setDefault(handleImpossibleAnswer, d.handleImpossibleAnswer());
        setDefault(alignToWords, d.alignToWords());
    }

    public static MLReader<SpotlightQuestionAnswerer> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightQuestionAnswerer load(String path) {
        return read().load(path);
    }

    public Param<String> contextCol() {
        return contextCol;
    }

    public IntParam topK() {
        return topK;
    }

    public IntParam docStride() {
        return docStride;
    }

    public IntParam maxAnswerLen() {
        return maxAnswerLen;
    }

    public IntParam maxSeqLen() {
        return maxSeqLen;
    }

    public BooleanParam handleImpossibleAnswer() {
        return handleImpossibleAnswer;
    }

    public BooleanParam alignToWords() {
        return alignToWords;
    }

    public String getContextCol() {
        return getOrDefault(contextCol);
    }

    public int getTopK() {
        return (Integer) getOrDefault(topK);
    }

    public int getDocStride() {
        return (Integer) getOrDefault(docStride);
    }

    public int getMaxAnswerLen() {
        return (Integer) getOrDefault(maxAnswerLen);
    }

    public int getMaxSeqLen() {
        return (Integer) getOrDefault(maxSeqLen);
    }

    public boolean getHandleImpossibleAnswer() {
        return (Boolean) getOrDefault(handleImpossibleAnswer);
    }

    public boolean getAlignToWords() {
        return (Boolean) getOrDefault(alignToWords);
    }

    public SpotlightQuestionAnswerer setContextCol(String value) {
        return (SpotlightQuestionAnswerer) set(contextCol, value);
    }

    public SpotlightQuestionAnswerer setTopK(int value) {
        return (SpotlightQuestionAnswerer) set(topK, value);
    }

    public SpotlightQuestionAnswerer setDocStride(int value) {
        return (SpotlightQuestionAnswerer) set(docStride, value);
    }

    public SpotlightQuestionAnswerer setMaxAnswerLen(int value) {
        return (SpotlightQuestionAnswerer) set(maxAnswerLen, value);
    }

    public SpotlightQuestionAnswerer setMaxSeqLen(int value) {
        return (SpotlightQuestionAnswerer) set(maxSeqLen, value);
    }

    public SpotlightQuestionAnswerer setHandleImpossibleAnswer(boolean value) {
        return (SpotlightQuestionAnswerer) set(handleImpossibleAnswer, value);
    }

    public SpotlightQuestionAnswerer setAlignToWords(boolean value) {
        return (SpotlightQuestionAnswerer) set(alignToWords, value);
    }

    @Override
    SecondInput secondInput() {
        return new SecondInput("contextCol", getContextCol(), false);
    }

    @Override
    protected DataType outputColumnType() {
        return DataTypes.createArrayType(new StructType().add("score", DataTypes.DoubleType, false)
                .add("start", DataTypes.IntegerType, false).add("end", DataTypes.IntegerType, false)
                .add("answer", DataTypes.StringType, false), false);
    }

    @Override
    protected BatchKernel kernel() {
        if (getMaxSeqLen() == 0) {
            throw paramError("maxSeqLen", 0, "expected -1 (the pipeline's default) or a number of tokens >= 1");
        }
        return new Kernel(getTopK(), getDocStride(), getMaxAnswerLen(), getMaxSeqLen(), getHandleImpossibleAnswer(),
                getAlignToWords());
    }

    /** The pipeline's options as plain values (the kernel travels to the executors; the options record is not serializable). */
    private static final class Kernel extends TaskKernel {
        private final int topK;
        private final int docStride;
        private final int maxAnswerLen;
        private final int maxSeqLen;
        private final boolean impossible;
        private final boolean align;

        Kernel(int topK, int docStride, int maxAnswerLen, int maxSeqLen, boolean impossible, boolean align) {
            super(Task.QUESTION_ANSWERING);
            this.topK = topK;
            this.docStride = docStride;
            this.maxAnswerLen = maxAnswerLen;
            this.maxSeqLen = maxSeqLen;
            this.impossible = impossible;
            this.align = align;
        }

        @Override
        Object[] run(TaskModel model, StageSettings settings, List<String> questions, List<?> contexts) {
            QuestionAnswering qa = pipeline(settings, () -> new QuestionAnswering(model));
            QuestionAnswering.Options options = new QuestionAnswering.Options(topK, docStride, maxAnswerLen, maxSeqLen, impossible,
                    align);
            return perRow(questions, contexts, (question, context) -> answers(qa.answer(question, (String) context, options)));
        }

        private static Row[] answers(List<Answer> answers) {
            Row[] rows = new Row[answers.size()];
            for (int i = 0; i < rows.length; i++) {
                Answer a = answers.get(i);
                rows[i] = RowFactory.create(a.score(), a.start(), a.end(), a.answer());
            }
            return rows;
        }
    }
}
