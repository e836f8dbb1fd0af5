package dev.spotlight.spark;

import dev.spotlight.models.generation.GenerationOptions;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Prompt → generated text, each row what the library's {@code CausalLM.generate} gives for that prompt
 * (a Llama, Mistral, Qwen2/3 or GPT-2 folder): the continuation only, or with {@code details} a struct
 * of {@code text}, {@code finish_reason} (eos, stop_string, length), {@code stop_string},
 * {@code prompt_tokens}, {@code generated_tokens} and {@code generated_ids}. The rows of a batch
 * ({@code batchSize}) are generated together as one packed batched generation, and each prompt's tokens
 * are what it gets alone: the forward pass is batch-invariant and every sequence's random stream is
 * seeded by {@code seed} alone, so the text depends on neither the partitioning nor the batch, sampled
 * or greedy.
 *
 * <p>Unset generation params are the model's (generation_config.json): {@code maxNewTokens},
 * {@code temperature} (0 = greedy, above 0 samples), {@code topK}, {@code topP}, {@code stopStrings} (an
 * empty array removes the model's). {@code seed} defaults to 0 rather than a fresh seed, so that a
 * recomputed partition gives the same text; equal prompts then get equal texts. {@code chatTemplate}
 * makes each prompt the user message of a conversation (after {@code systemMessage}, when set) rendered
 * by the model's chat template, as {@code spotlight generate --chat}. A null prompt gives null; a prompt
 * with no tokens, one that fills the model's context, or one the tokenizer or chat template refuses is
 * an invalid row.
 */
public final class SpotlightGenerator extends SpotlightStage<SpotlightGenerator> {
    private final IntParam maxNewTokens = new IntParam(this, "maxNewTokens", "at most this many generated tokens; unset ="
            + " the model's", ParamValidators.gt(0));
    private final DoubleParam temperature = new DoubleParam(this, "temperature", "0 = greedy, above 0 samples; unset = the"
            + " model's", ParamValidators.gtEq(0));
    private final IntParam topK = new IntParam(this, "topK", "sample among the k most likely tokens, 0 = off; unset = the model's",
            ParamValidators.gtEq(0));
    private final DoubleParam topP = new DoubleParam(this, "topP", "sample among the most likely tokens holding probability p,"
            + " 1 = off; unset = the model's", ParamValidators.inRange(0, 1));
    private final LongParam seed = new LongParam(this, "seed", "the seed of every row's random stream");
    private final StringArrayParam stopStrings = new StringArrayParam(this, "stopStrings", "text that ends a row's generation;"
            + " unset = the model's, empty = none");
    private final BooleanParam keepStopString = new BooleanParam(this, "keepStopString", "whether the text keeps the stop string"
            + " that ended it (true, as transformers) or ends before it (false, as the OpenAI API)");
    private final BooleanParam chatTemplate = new BooleanParam(this, "chatTemplate", "the prompt is a user message, rendered"
            + " by the model's chat template (true), or the text to continue (false)");
    private final Param<String> systemMessage = new Param<>(this, "systemMessage", "with chatTemplate: a system message"
            + " before each prompt; empty = none");
    private final BooleanParam details = new BooleanParam(this, "details", "the output is a struct of text, finish_reason,"
            + " stop_string, prompt_tokens, generated_tokens, generated_ids (true) or the text (false)");

    public SpotlightGenerator() {
        this(Identifiable.randomUID("spotlightGenerator"));
    }

    public SpotlightGenerator(String uid) {
        super(uid, "prompt", "generated", "", 32);
        setDefault(seed, 0L);
        setDefault(keepStopString, true);
        setDefault(chatTemplate, false);
        setDefault(systemMessage, "");
        setDefault(details, false);
    }

    public static MLReader<SpotlightGenerator> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightGenerator load(String path) {
        return read().load(path);
    }

    public IntParam maxNewTokens() {
        return maxNewTokens;
    }

    public DoubleParam temperature() {
        return temperature;
    }

    public IntParam topK() {
        return topK;
    }

    public DoubleParam topP() {
        return topP;
    }

    public LongParam seed() {
        return seed;
    }

    public StringArrayParam stopStrings() {
        return stopStrings;
    }

    public BooleanParam keepStopString() {
        return keepStopString;
    }

    public BooleanParam chatTemplate() {
        return chatTemplate;
    }

    public Param<String> systemMessage() {
        return systemMessage;
    }

    public BooleanParam details() {
        return details;
    }

    /** Null when unset (the model's). */
    public Integer getMaxNewTokens() {
        return isDefined(maxNewTokens) ? (Integer) getOrDefault(maxNewTokens) : null;
    }

    /** Null when unset (the model's). */
    public Double getTemperature() {
        return isDefined(temperature) ? (Double) getOrDefault(temperature) : null;
    }

    /** Null when unset (the model's). */
    public Integer getTopK() {
        return isDefined(topK) ? (Integer) getOrDefault(topK) : null;
    }

    /** Null when unset (the model's). */
    public Double getTopP() {
        return isDefined(topP) ? (Double) getOrDefault(topP) : null;
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    /** Null when unset (the model's). */
    public String[] getStopStrings() {
        return isDefined(stopStrings) ? getOrDefault(stopStrings) : null;
    }

    public boolean getKeepStopString() {
        return (Boolean) getOrDefault(keepStopString);
    }

    public boolean getChatTemplate() {
        return (Boolean) getOrDefault(chatTemplate);
    }

    public String getSystemMessage() {
        return getOrDefault(systemMessage);
    }

    public boolean getDetails() {
        return (Boolean) getOrDefault(details);
    }

    public SpotlightGenerator setMaxNewTokens(int value) {
        return (SpotlightGenerator) set(maxNewTokens, value);
    }

    public SpotlightGenerator setTemperature(double value) {
        return (SpotlightGenerator) set(temperature, value);
    }

    public SpotlightGenerator setTopK(int value) {
        return (SpotlightGenerator) set(topK, value);
    }

    public SpotlightGenerator setTopP(double value) {
        return (SpotlightGenerator) set(topP, value);
    }

    public SpotlightGenerator setSeed(long value) {
        return (SpotlightGenerator) set(seed, value);
    }

    public SpotlightGenerator setStopStrings(String[] value) {
        return (SpotlightGenerator) set(stopStrings, value);
    }

    public SpotlightGenerator setKeepStopString(boolean value) {
        return (SpotlightGenerator) set(keepStopString, value);
    }

    public SpotlightGenerator setChatTemplate(boolean value) {
        return (SpotlightGenerator) set(chatTemplate, value);
    }

    public SpotlightGenerator setSystemMessage(String value) {
        return (SpotlightGenerator) set(systemMessage, value);
    }

    public SpotlightGenerator setDetails(boolean value) {
        return (SpotlightGenerator) set(details, value);
    }

    @Override
    String modelHint() {
        return "a decoder-only model (a Hugging Face folder whose config.json has model_type llama, mistral, qwen2, qwen3 or"
                + " gpt2) every executor can read, or sparkfiles:NAME for one shipped with the job";
    }

    @Override
    protected DataType outputColumnType() {
        if (!getDetails()) {
            return DataTypes.StringType;
        }
        return new StructType().add("text", DataTypes.StringType, false).add("finish_reason", DataTypes.StringType, false)
                .add("stop_string", DataTypes.StringType, true).add("prompt_tokens", DataTypes.IntegerType, false)
                .add("generated_tokens", DataTypes.IntegerType, false)
                .add("generated_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
    }

    @Override
    protected BatchKernel kernel() {
        if (!getSystemMessage().isEmpty() && !getChatTemplate()) {
            throw paramError("systemMessage", getSystemMessage(), "a system message is part of a chat: set chatTemplate to true");
        }
        String[] stops = getStopStrings();
        GenerationKernel kernel = new GenerationKernel(getMaxNewTokens(), getTemperature(), getTopK(), getTopP(), getSeed(),
                stops == null ? null : List.of(stops), getKeepStopString(), getChatTemplate(), getSystemMessage(), getDetails());
        try {
            kernel.options();   // the library's own checks, on the driver, before any job
        } catch (IllegalArgumentException e) {
            throw new SpotlightSparkException(stageName() + ": " + e.getMessage());   // names the option and value
        }
        return kernel;
    }
}
