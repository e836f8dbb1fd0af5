package dev.spotlight.spark;

import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What every Spotlight stage shares: the text column in, one output column out, the model, how many
 * texts go into one forward pass, the length limit, and what an invalid row does. Subclasses add their
 * own params and say what they compute ({@link #kernel}) and its column type ({@link #outputColumnType}).
 * Params are saved with the pipeline ({@link DefaultParamsWritable}); the model itself is not: a
 * reloaded stage loads it again from the same name or path.
 */
public abstract class SpotlightStage<S extends SpotlightStage<S>> extends Transformer implements DefaultParamsWritable {
    public static final String DEFAULT_MODEL = "all-minilm-l6-v2";

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> model;
    private final IntParam batchSize;
    private final IntParam maxLength;
    private final BooleanParam truncate;
    private final Param<String> handleInvalid;
    private final Param<String> errorCol;
    private final IntParam threadsPerTask;

    protected SpotlightStage(String uid, String defaultOutputCol, int defaultBatchSize) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the text column (string)");
        outputCol = new Param<>(this, "outputCol", "the column this stage adds");
        model = new Param<>(this, "model", "a built-in model name, a path every executor can read, or"
                + " sparkfiles:NAME for a file or folder shipped with the job");
        batchSize = new IntParam(this, "batchSize", "texts per forward pass (packed: no work on padding)",
                ParamValidators.inRange(1, 4096));
        maxLength = new IntParam(this, "maxLength", "tokens per text, special tokens included; 0 = the model's own limit",
                ParamValidators.gtEq(0));
        truncate = new BooleanParam(this, "truncate", "cut an over-long text to maxLength (true) or treat it as invalid (false)");
        handleInvalid = new Param<>(this, "handleInvalid", "an invalid row: 'error' fails the job with a message naming"
                + " the row, 'null' gives null outputs (and the reason in errorCol when set)",
                ParamValidators.inArray(List.of("error", "null")));
        errorCol = new Param<>(this, "errorCol", "a string column for the reason a row is invalid; empty = none");
        threadsPerTask = new IntParam(this, "threadsPerTask", "threads of the packed engine in each task (process-wide"
                + " in the executor JVM); 0 = the task's CPUs, spark.task.cpus", ParamValidators.inRange(0, 1024));
        setDefault(inputCol, "text");
        setDefault(outputCol, defaultOutputCol);
        setDefault(model, DEFAULT_MODEL);
        setDefault(batchSize, defaultBatchSize);
        setDefault(maxLength, 0);
        setDefault(truncate, true);
        setDefault(handleInvalid, "error");
        setDefault(errorCol, "");
        setDefault(threadsPerTask, 0);
    }

    /** What this stage computes on an executor. */
    protected abstract BatchKernel kernel();

    /** The type of the output column. */
    protected abstract DataType outputColumnType();

    /** The pair text column's name, or empty for stages that read one text. */
    protected String pairColumn() {
        return "";
    }

    @Override
    public String uid() {
        return uid;
    }

    // ----- params: Spark finds them through these public no-argument methods -----

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> model() {
        return model;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam maxLength() {
        return maxLength;
    }

    public BooleanParam truncate() {
        return truncate;
    }

    public Param<String> handleInvalid() {
        return handleInvalid;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public String getModel() {
        return getOrDefault(model);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public int getMaxLength() {
        return (Integer) getOrDefault(maxLength);
    }

    public boolean getTruncate() {
        return (Boolean) getOrDefault(truncate);
    }

    public String getHandleInvalid() {
        return getOrDefault(handleInvalid);
    }

    public String getErrorCol() {
        return getOrDefault(errorCol);
    }

    public int getThreadsPerTask() {
        return (Integer) getOrDefault(threadsPerTask);
    }

    @SuppressWarnings("unchecked")
    public S setThreadsPerTask(int value) {
        return (S) set(threadsPerTask, value);
    }

    @SuppressWarnings("unchecked")
    public S setInputCol(String value) {
        return (S) set(inputCol, value);
    }

    @SuppressWarnings("unchecked")
    public S setOutputCol(String value) {
        return (S) set(outputCol, value);
    }

    @SuppressWarnings("unchecked")
    public S setModel(String value) {
        return (S) set(model, value);
    }

    @SuppressWarnings("unchecked")
    public S setBatchSize(int value) {
        return (S) set(batchSize, value);
    }

    @SuppressWarnings("unchecked")
    public S setMaxLength(int value) {
        return (S) set(maxLength, value);
    }

    @SuppressWarnings("unchecked")
    public S setTruncate(boolean value) {
        return (S) set(truncate, value);
    }

    @SuppressWarnings("unchecked")
    public S setHandleInvalid(String value) {
        return (S) set(handleInvalid, value);
    }

    @SuppressWarnings("unchecked")
    public S setErrorCol(String value) {
        return (S) set(errorCol, value);
    }

    // ----- Transformer -----

    @Override
    public StructType transformSchema(StructType schema) {
        requireString(schema, "inputCol", getInputCol());
        if (!pairColumn().isEmpty()) {
            requireString(schema, "pairCol", pairColumn());
        }
        requireNew(schema, "outputCol", getOutputCol());
        StructType out = schema.add(new StructField(getOutputCol(), outputColumnType(), true, Metadata.empty()));
        if (!getErrorCol().isEmpty()) {
            requireNew(out, "errorCol", getErrorCol());
            out = out.add(getErrorCol(), DataTypes.StringType, true);
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        StructType in = dataset.schema();
        StageSettings settings = new StageSettings(stageName(), getModel(), getBatchSize(),
                getMaxLength(), getTruncate(), getHandleInvalid().equals("null"), in.fieldIndex(getInputCol()),
                pairColumn().isEmpty() ? -1 : in.fieldIndex(pairColumn()), !getErrorCol().isEmpty(),
                getThreadsPerTask());
        return dataset.toDF().mapPartitions(new PartitionRunner(settings, kernel()), Encoders.row(out));
    }

    @Override
    public S copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    private void requireString(StructType schema, String option, String column) {
        if (!List.of(schema.fieldNames()).contains(column)) {
            throw new SpotlightSparkException(stageName() + " " + option + "='" + column + "': no such column; the columns are "
                    + List.of(schema.fieldNames()));
        }
        DataType type = schema.apply(column).dataType();
        if (!type.equals(DataTypes.StringType)) {
            throw new SpotlightSparkException(stageName() + " " + option + "='" + column + "': expected a string column, found "
                    + type.simpleString());
        }
    }

    private void requireNew(StructType schema, String option, String column) {
        if (column.isEmpty() || List.of(schema.fieldNames()).contains(column)) {
            throw new SpotlightSparkException(stageName() + " " + option + "='" + column + "': "
                    + (column.isEmpty() ? "a column name is required" : "the input already has a column of that name"));
        }
    }

    private String stageName() {
        return getClass().getSimpleName() + "(" + uid + ")";
    }
}
