package dev.spotlight.spark;

import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What every Spotlight stage shares: the text column in (and for some stages a second column), one
 * output column out, the model, how many rows go into one batch, and what an invalid row does.
 * Subclasses add their own params and say what they compute ({@link #kernel}) and its column type
 * ({@link #outputColumnType}). Params are saved with the pipeline ({@link DefaultParamsWritable}); the
 * model itself is not: a reloaded stage loads it again from the same name or path.
 */
public abstract class SpotlightStage<S extends SpotlightStage<S>> extends Transformer implements DefaultParamsWritable {
    public static final String DEFAULT_MODEL = "all-minilm-l6-v2";

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> model;
    private final IntParam batchSize;
    private final Param<String> handleInvalid;
    private final Param<String> errorCol;
    private final IntParam threadsPerTask;

    /**
     * @param defaultModel "" for stages with no default model: {@link #transform} then asks for one
     */
    protected SpotlightStage(String uid, String defaultInputCol, String defaultOutputCol, String defaultModel,
                             int defaultBatchSize) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the text column (string) the stage reads");
        outputCol = new Param<>(this, "outputCol", "the column this stage adds");
        model = new Param<>(this, "model", "a built-in model name, a path every executor can read, or"
                + " sparkfiles:NAME for a file or folder shipped with the job");
        batchSize = new IntParam(this, "batchSize", "rows per batch, the unit of work of the model (packed: no work on padding)",
                ParamValidators.inRange(1, 4096));
        handleInvalid = new Param<>(this, "handleInvalid", "an invalid row: 'error' fails the job with a message naming"
                + " the row, 'null' gives null outputs (and the reason in errorCol when set)",
                ParamValidators.inArray(List.of("error", "null")));
        errorCol = new Param<>(this, "errorCol", "a string column for the reason a row is invalid; empty = none");
        threadsPerTask = new IntParam(this, "threadsPerTask", "threads of the packed engine in each task (process-wide"
                + " in the executor JVM); 0 = the task's CPUs, spark.task.cpus", ParamValidators.inRange(0, 1024));
        setDefault(inputCol, defaultInputCol);
        setDefault(outputCol, defaultOutputCol);
        setDefault(model, defaultModel);
        setDefault(batchSize, defaultBatchSize);
        setDefault(handleInvalid, "error");
        setDefault(errorCol, "");
        setDefault(threadsPerTask, 0);
    }

    /** What this stage computes on an executor. */
    protected abstract BatchKernel kernel();

    /** The type of the output column. */
    protected abstract DataType outputColumnType();

    /** The second input column (a pair text, a context, a passage, labels), or null for stages that read one column. */
    SecondInput secondInput() {
        return null;
    }

    /** The {@code maxLength} the kernel is given: 0 (the model's own) unless the stage has the param. */
    int lengthLimit() {
        return 0;
    }

    /** The {@code truncate} the kernel is given: true unless the stage has the param. */
    boolean truncates() {
        return true;
    }

    /**
     * A stage's second input column.
     *
     * @param option the param that names it, as errors name it (e.g. contextCol)
     * @param column the column's name; empty = none (only where the stage allows it)
     * @param arrays whether an array&lt;string&gt; column is accepted beside a string column
     */
    record SecondInput(String option, String column, boolean arrays) {
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
        requireText(schema, "inputCol", getInputCol(), false);
        SecondInput second = secondInput();
        if (second != null && !second.column().isEmpty()) {
            requireText(schema, second.option(), second.column(), second.arrays());
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
        if (getModel().isEmpty()) {
            throw new SpotlightSparkException(stageName() + " model='': no model given; set model to " + modelHint());
        }
        StructType in = dataset.schema();
        SecondInput second = secondInput();
        int secondIndex = second == null || second.column().isEmpty() ? -1 : in.fieldIndex(second.column());
        StageSettings settings = new StageSettings(stageName(), getModel(), getBatchSize(), lengthLimit(), truncates(),
                getHandleInvalid().equals("null"), in.fieldIndex(getInputCol()), secondIndex, !getErrorCol().isEmpty(),
                getThreadsPerTask());
        return dataset.toDF().mapPartitions(new PartitionRunner(settings, kernel()), Encoders.row(out));
    }

    /** What the model option should name, for the error when it names nothing. */
    String modelHint() {
        return "a built-in model name or a model path";
    }

    @Override
    public S copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    private void requireText(StructType schema, String option, String column, boolean arrays) {
        if (!List.of(schema.fieldNames()).contains(column)) {
            throw new SpotlightSparkException(stageName() + " " + option + "='" + column + "': no such column; the columns are "
                    + List.of(schema.fieldNames()));
        }
        DataType type = schema.apply(column).dataType();
        boolean strings = arrays && type instanceof ArrayType a && a.elementType().equals(DataTypes.StringType);
        if (!type.equals(DataTypes.StringType) && !strings) {
            throw new SpotlightSparkException(stageName() + " " + option + "='" + column + "': expected a string"
                    + (arrays ? " or array<string>" : "") + " column, found " + type.simpleString());
        }
    }

    /** A one-line error about one of this stage's params, found on the driver before any job runs. */
    SpotlightSparkException paramError(String option, Object value, String what) {
        return new SpotlightSparkException(stageName() + " " + option + "='" + value + "': " + what);
    }

    private void requireNew(StructType schema, String option, String column) {
        if (column.isEmpty() || List.of(schema.fieldNames()).contains(column)) {
            throw new SpotlightSparkException(stageName() + " " + option + "='" + column + "': "
                    + (column.isEmpty() ? "a column name is required" : "the input already has a column of that name"));
        }
    }

    String stageName() {
        return getClass().getSimpleName() + "(" + uid + ")";
    }
}
