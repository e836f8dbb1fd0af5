package dev.spotlight.spark;

import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.models.tasks.ZeroShotClassification;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Text → candidate labels ranked by an NLI model, each row what the library's
 * {@link ZeroShotClassification} gives (transformers' {@code ZeroShotClassificationPipeline}): a struct
 * of {@code labels} (best first) and their {@code scores}. The labels are the same for every row
 * ({@code candidateLabels}) or a row's own ({@code labelsCol}: an array&lt;string&gt; column, or a
 * string column of comma-separated labels, as Python parses a label string); one of the two is set.
 * Each label is the hypothesis {@code hypothesisTemplate} with {} replaced by it; {@code multiLabel}
 * scores each label alone. A null text or null labels give null; an empty list of labels is an invalid
 * row. One forward pass per row, over all its labels.
 */
public final class SpotlightZeroShotClassifier extends TaskStage<SpotlightZeroShotClassifier> {
    private final StringArrayParam candidateLabels = new StringArrayParam(this, "candidateLabels",
            "the labels of every row; empty = labelsCol gives each row's own");
    private final Param<String> labelsCol = new Param<>(this, "labelsCol",
            "a column of each row's labels (array<string>, or a string of comma-separated labels); empty = candidateLabels");
    private final Param<String> hypothesisTemplate = new Param<>(this, "hypothesisTemplate",
            "the hypothesis for a label, {} where the label goes (transformers' hypothesis_template)");
    private final BooleanParam multiLabel = new BooleanParam(this, "multiLabel",
            "score each label alone, entailment against contradiction (true), or softmax over the labels (false)");

    public SpotlightZeroShotClassifier() {
        this(Identifiable.randomUID("spotlightZeroShotClassifier"));
    }

    public SpotlightZeroShotClassifier(String uid) {
        super(uid, "text", "zero_shot", Task.SEQUENCE_CLASSIFICATION);
        setDefault(candidateLabels, new String[0]);
        setDefault(labelsCol, "");
        setDefault(hypothesisTemplate, ZeroShotClassification.Options.DEFAULTS.hypothesisTemplate());
        setDefault(multiLabel, ZeroShotClassification.Options.DEFAULTS.multiLabel());
    }

    public static MLReader<SpotlightZeroShotClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightZeroShotClassifier load(String path) {
        return read().load(path);
    }

    public StringArrayParam candidateLabels() {
        return candidateLabels;
    }

    public Param<String> labelsCol() {
        return labelsCol;
    }

    public Param<String> hypothesisTemplate() {
        return hypothesisTemplate;
    }

    public BooleanParam multiLabel() {
        return multiLabel;
    }

    public String[] getCandidateLabels() {
        return getOrDefault(candidateLabels);
    }

    public String getLabelsCol() {
        return getOrDefault(labelsCol);
    }

    public String getHypothesisTemplate() {
        return getOrDefault(hypothesisTemplate);
    }

    public boolean getMultiLabel() {
        return (Boolean) getOrDefault(multiLabel);
    }

    public SpotlightZeroShotClassifier setCandidateLabels(String[] value) {
        return (SpotlightZeroShotClassifier) set(candidateLabels, value);
    }

    public SpotlightZeroShotClassifier setLabelsCol(String value) {
        return (SpotlightZeroShotClassifier) set(labelsCol, value);
    }

    public SpotlightZeroShotClassifier setHypothesisTemplate(String value) {
        return (SpotlightZeroShotClassifier) set(hypothesisTemplate, value);
    }

    public SpotlightZeroShotClassifier setMultiLabel(boolean value) {
        return (SpotlightZeroShotClassifier) set(multiLabel, value);
    }

    @Override
    SecondInput secondInput() {
        return new SecondInput("labelsCol", getLabelsCol(), true);
    }

    @Override
    protected DataType outputColumnType() {
        return new StructType().add("labels", DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add("scores", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    }

    @Override
    protected BatchKernel kernel() {
        String[] labels = getCandidateLabels();
        if ((labels.length == 0) == getLabelsCol().isEmpty()) {
            throw paramError("candidateLabels", String.join(",", labels), labels.length == 0
                    ? "no labels: set candidateLabels (the labels of every row) or labelsCol (a column of each row's labels)"
                    : "labelsCol='" + getLabelsCol() + "' is set too: set one of the two");
        }
        String template = getHypothesisTemplate();
        if (!template.contains("{}") && !template.contains("{0}")) {
            throw paramError("hypothesisTemplate", template, "no {} where the label goes");
        }
        return new Kernel(labels.length == 0 ? null : List.of(labels), template, getMultiLabel());
    }

    private static final class Kernel extends TaskKernel {
        private final List<String> labels;    // null: each row's own
        private final String template;
        private final boolean multiLabel;

        Kernel(List<String> labels, String template, boolean multiLabel) {
            super(Task.SEQUENCE_CLASSIFICATION);
            this.labels = labels;
            this.template = template;
            this.multiLabel = multiLabel;
        }

        @Override
        Object[] run(TaskModel model, StageSettings settings, List<String> texts, List<?> rowLabels) {
            ZeroShotClassification classifier = pipeline(settings, () -> new ZeroShotClassification(model));
            ZeroShotClassification.Options options = new ZeroShotClassification.Options(template, multiLabel);
            return perRow(texts, rowLabels, (text, own) -> {
                ZeroShotClassification.Result r = classifier.classify(text, own == null ? labels : labels(own), options, Capture.NONE);
                return RowFactory.create(r.labels().toArray(new String[0]),
                        r.scores().stream().mapToDouble(Double::doubleValue).toArray());
            });
        }

        /** A row's labels: an array column's elements, or a string split at commas (blanks dropped) as Python does. */
        @SuppressWarnings("unchecked")
        private static List<String> labels(Object value) {
            return value instanceof String s ? ZeroShotClassification.parseLabels(s) : (List<String>) value;
        }
    }
}
