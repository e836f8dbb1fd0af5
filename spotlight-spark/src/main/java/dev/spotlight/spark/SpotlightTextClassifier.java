package dev.spotlight.spark;

import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.LabelScore;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.models.tasks.TextClassification;
import java.util.List;
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
 * Text (and an optional pair text) → labels with scores, best first, each row what the library's
 * {@link TextClassification} gives (transformers' {@code TextClassificationPipeline}):
 * {@code functionToApply} default (from config.json: none for regression, sigmoid for multi-label or
 * one label, softmax otherwise), sigmoid, softmax or none; {@code topK} labels kept (0 = all). The
 * column is an array of {@code label, score} structs. A null text gives null; a null pair classifies the
 * text alone; an empty text is classified as the pipeline does ({@code [CLS] [SEP]}); inputs are cut at
 * the model's limit (longest first for a pair).
 */
public final class SpotlightTextClassifier extends TaskStage<SpotlightTextClassifier> {
    private final Param<String> pairCol = new Param<>(this, "pairCol", "the pair text column (string); empty = none");
    private final Param<String> functionToApply = new Param<>(this, "functionToApply",
            "default (as config.json says), sigmoid, softmax or none (transformers' function_to_apply)",
            ParamValidators.inArray(List.of("default", "sigmoid", "softmax", "none")));
    private final IntParam topK = new IntParam(this, "topK", "labels per row, best first; 0 = all (transformers' top_k=None)",
            ParamValidators.gtEq(0));

    public SpotlightTextClassifier() {
        this(Identifiable.randomUID("spotlightTextClassifier"));
    }

    public SpotlightTextClassifier(String uid) {
        super(uid, "text", "labels", Task.SEQUENCE_CLASSIFICATION);
        setDefault(pairCol, "");
        setDefault(functionToApply, "default");
        setDefault(topK, 1);
    }

    public static MLReader<SpotlightTextClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightTextClassifier load(String path) {
        return read().load(path);
    }

    public Param<String> pairCol() {
        return pairCol;
    }

    public Param<String> functionToApply() {
        return functionToApply;
    }

    public IntParam topK() {
        return topK;
    }

    public String getPairCol() {
        return getOrDefault(pairCol);
    }

    public String getFunctionToApply() {
        return getOrDefault(functionToApply);
    }

    public int getTopK() {
        return (Integer) getOrDefault(topK);
    }

    public SpotlightTextClassifier setPairCol(String value) {
        return (SpotlightTextClassifier) set(pairCol, value);
    }

    public SpotlightTextClassifier setFunctionToApply(String value) {
        return (SpotlightTextClassifier) set(functionToApply, value);
    }

    public SpotlightTextClassifier setTopK(int value) {
        return (SpotlightTextClassifier) set(topK, value);
    }

    @Override
    SecondInput secondInput() {
        return new SecondInput("pairCol", getPairCol(), false);
    }

    @Override
    protected DataType outputColumnType() {
        return labelScoresType();
    }

    /** array&lt;struct&lt;label: string, score: double&gt;&gt;, best first. */
    static DataType labelScoresType() {
        return DataTypes.createArrayType(new StructType().add("label", DataTypes.StringType, false)
                .add("score", DataTypes.DoubleType, false), false);
    }

    static Row[] labelScores(List<LabelScore> labels) {
        Row[] rows = new Row[labels.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = RowFactory.create(labels.get(i).label(), labels.get(i).score());
        }
        return rows;
    }

    @Override
    protected BatchKernel kernel() {
        return new Kernel(getFunctionToApply(), getTopK());
    }

    private static final class Kernel extends TaskKernel {
        private final String function;
        private final int topK;

        Kernel(String function, int topK) {
            super(Task.SEQUENCE_CLASSIFICATION);
            this.function = function;
            this.topK = topK;
        }

        @Override
        Object[] run(TaskModel model, StageSettings settings, List<String> texts, List<?> pairs) {
            TextClassification classifier = pipeline(settings, () -> new TextClassification(model));
            TextClassification.Options options = new TextClassification.Options(TextClassification.Function.parse(function),
                    topK == 0 ? null : topK);
            List<TextClassification.Result> results = classifier.classify(texts, BatchKernel.strings(pairs), options, Capture.NONE);
            Object[] out = new Object[texts.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = labelScores(results.get(i).labels());
            }
            return out;
        }
    }
}
