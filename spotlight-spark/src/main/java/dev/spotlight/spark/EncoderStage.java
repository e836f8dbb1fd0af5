package dev.spotlight.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;

/**
 * The stages that tokenize their text themselves ({@link SpotlightTokenizer}, {@link SpotlightEmbedder},
 * {@link SpotlightAttentionSummary}): a built-in model by default, and the length limit with what an
 * over-long text does. (The task and generation stages follow their pipeline's own length rules.)
 */
public abstract class EncoderStage<S extends EncoderStage<S>> extends SpotlightStage<S> {
    private final IntParam maxLength = new IntParam(this, "maxLength",
            "tokens per text, special tokens included; 0 = the model's own limit", ParamValidators.gtEq(0));
    private final BooleanParam truncate = new BooleanParam(this, "truncate",
            "cut an over-long text to maxLength (true) or treat it as invalid (false)");

    protected EncoderStage(String uid, String defaultOutputCol, int defaultBatchSize) {
        super(uid, "text", defaultOutputCol, DEFAULT_MODEL, defaultBatchSize);
        setDefault(maxLength, 0);
        setDefault(truncate, true);
    }

    public IntParam maxLength() {
        return maxLength;
    }

    public BooleanParam truncate() {
        return truncate;
    }

    public int getMaxLength() {
        return (Integer) getOrDefault(maxLength);
    }

    public boolean getTruncate() {
        return (Boolean) getOrDefault(truncate);
    }

    @SuppressWarnings("unchecked")
    public S setMaxLength(int value) {
        return (S) set(maxLength, value);
    }

    @SuppressWarnings("unchecked")
    public S setTruncate(boolean value) {
        return (S) set(truncate, value);
    }

    @Override
    int lengthLimit() {
        return getMaxLength();
    }

    @Override
    boolean truncates() {
        return getTruncate();
    }
}
