package dev.spotlight.spark;

import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.models.tasks.TokenClassification;
import dev.spotlight.models.tasks.TokenClassification.Aggregation;
import dev.spotlight.models.tasks.TokenClassification.Entity;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Text → named entities (any token classification), each row what the library's
 * {@link TokenClassification} gives (transformers' {@code TokenClassificationPipeline}): an array of
 * structs with Python's keys, {@code entity, score, index, word, start, end} per token for
 * {@code aggregationStrategy} none, {@code entity_group, score, word, start, end} per group otherwise;
 * {@code start}/{@code end} are code point offsets into the text. {@code ignoreLabels} (default O) are
 * left out. A null text gives null; an empty text an empty array; a text longer than the model's limit
 * is cut there, as the pipeline does.
 */
public final class SpotlightTokenClassifier extends TaskStage<SpotlightTokenClassifier> {
    private final Param<String> aggregationStrategy = new Param<>(this, "aggregationStrategy",
            "none, simple, first, average or max (transformers' aggregation_strategy)",
            ParamValidators.inArray(List.of("none", "simple", "first", "average", "max")));
    private final StringArrayParam ignoreLabels = new StringArrayParam(this, "ignoreLabels",
            "labels left out of the result (transformers' ignore_labels)");

    public SpotlightTokenClassifier() {
        this(Identifiable.randomUID("spotlightTokenClassifier"));
    }

    public SpotlightTokenClassifier(String uid) {
        super(uid, "text", "entities", Task.TOKEN_CLASSIFICATION);
        setDefault(aggregationStrategy, "none");
        setDefault(ignoreLabels, new String[] {"O"});
    }

    public static MLReader<SpotlightTokenClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightTokenClassifier load(String path) {
        return read().load(path);
    }

    public Param<String> aggregationStrategy() {
        return aggregationStrategy;
    }

    public StringArrayParam ignoreLabels() {
        return ignoreLabels;
    }

    public String getAggregationStrategy() {
        return getOrDefault(aggregationStrategy);
    }

    public String[] getIgnoreLabels() {
        return getOrDefault(ignoreLabels);
    }

    public SpotlightTokenClassifier setAggregationStrategy(String value) {
        return (SpotlightTokenClassifier) set(aggregationStrategy, value);
    }

    public SpotlightTokenClassifier setIgnoreLabels(String[] value) {
        return (SpotlightTokenClassifier) set(ignoreLabels, value);
    }

    @Override
    protected DataType outputColumnType() {
        StructType entity = grouped()
                ? new StructType().add("entity_group", DataTypes.StringType, false).add("score", DataTypes.DoubleType, false)
                : new StructType().add("entity", DataTypes.StringType, false).add("score", DataTypes.DoubleType, false)
                        .add("index", DataTypes.IntegerType, false);
        entity = entity.add("word", DataTypes.StringType, false).add("start", DataTypes.IntegerType, false)
                .add("end", DataTypes.IntegerType, false);
        return DataTypes.createArrayType(entity, false);
    }

    private boolean grouped() {
        return !getAggregationStrategy().equals("none");
    }

    @Override
    protected BatchKernel kernel() {
        return new Kernel(getAggregationStrategy(), List.of(getIgnoreLabels()));
    }

    private static final class Kernel extends TaskKernel {
        private final String aggregation;
        private final List<String> ignoreLabels;

        Kernel(String aggregation, List<String> ignoreLabels) {
            super(Task.TOKEN_CLASSIFICATION);
            this.aggregation = aggregation;
            this.ignoreLabels = ignoreLabels;
        }

        @Override
        Object[] run(TaskModel model, StageSettings settings, List<String> texts, List<?> pairs) {
            TokenClassification ner = pipeline(settings, () -> new TokenClassification(model));
            TokenClassification.Options options = new TokenClassification.Options(Aggregation.parse(aggregation), ignoreLabels);
            List<TokenClassification.Result> results = ner.classify(texts, options, Capture.NONE);
            Object[] out = new Object[texts.size()];
            for (int i = 0; i < out.length; i++) {
                List<Entity> entities = results.get(i).entities();
                Row[] rows = new Row[entities.size()];
                for (int e = 0; e < rows.length; e++) {
                    Entity x = entities.get(e);
                    rows[e] = x.grouped() ? RowFactory.create(x.label(), x.score(), x.word(), x.start(), x.end())
                            : RowFactory.create(x.label(), x.score(), x.index(), x.word(), x.start(), x.end());
                }
                out[i] = rows;
            }
            return out;
        }
    }
}
