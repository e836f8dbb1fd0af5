package dev.spotlight.spark;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.pooling.SentencePooling;
import dev.spotlight.tokenizers.Encoding;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Text → sentence embedding, the same bits as {@code Spotlight.load(model).embed(texts)}: pooled as the
 * model was trained to be used (mean, [CLS] or max), normalised as it says unless
 * {@code normalization} overrides it. The column is a Spark ML {@code Vector} (the float values widened
 * to double, exactly) or {@code array<float>}. A null text gives a null embedding; an empty text embeds
 * its special tokens alone, as the library does; an over-long text is cut to {@code maxLength} tokens
 * (the model's limit by default) unless {@code truncate} is false.
 */
public final class SpotlightEmbedder extends EncoderStage<SpotlightEmbedder> {
    private final Param<String> normalization = new Param<>(this, "normalization",
            "'model' (as the model says), 'l2' (unit length) or 'none'", ParamValidators.inArray(List.of("model", "l2", "none")));
    private final Param<String> vectorType = new Param<>(this, "vectorType",
            "'vector' (a Spark ML Vector) or 'array' (array<float>)", ParamValidators.inArray(List.of("vector", "array")));

    public SpotlightEmbedder() {
        this(Identifiable.randomUID("spotlightEmbedder"));
    }

    public SpotlightEmbedder(String uid) {
        super(uid, "embedding", 64);
        setDefault(normalization, "model");
        setDefault(vectorType, "vector");
    }

    public static MLReader<SpotlightEmbedder> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightEmbedder load(String path) {
        return read().load(path);
    }

    public Param<String> normalization() {
        return normalization;
    }

    public Param<String> vectorType() {
        return vectorType;
    }

    public String getNormalization() {
        return getOrDefault(normalization);
    }

    public String getVectorType() {
        return getOrDefault(vectorType);
    }

    public SpotlightEmbedder setNormalization(String value) {
        return (SpotlightEmbedder) set(normalization, value);
    }

    public SpotlightEmbedder setVectorType(String value) {
        return (SpotlightEmbedder) set(vectorType, value);
    }

    @Override
    protected DataType outputColumnType() {
        return getVectorType().equals("vector") ? SQLDataTypes.VectorType() : DataTypes.createArrayType(DataTypes.FloatType, false);
    }

    @Override
    protected BatchKernel kernel() {
        return new Kernel(getNormalization(), getVectorType().equals("vector"));
    }

    private static final class Kernel extends EncoderKernel {
        private final String normalization;
        private final boolean asVector;

        Kernel(String normalization, boolean asVector) {
            this.normalization = normalization;
            this.asVector = asVector;
        }

        @Override
        Capture capture() {
            return Capture.NONE;
        }

        @Override
        Object output(EncoderModel model, EncoderOutput output, int s, Encoding encoding) {
            SentencePooling pooling = switch (normalization) {
                case "l2" -> new SentencePooling(model.pooling().mode(), true);
                case "none" -> new SentencePooling(model.pooling().mode(), false);
                default -> model.pooling();
            };
            int[] cu = output.batch().cuSeqLens();
            float[] vector = pooling.pool(output.lastHidden(), cu[s], output.batch().length(s), output.hidden());
            if (!asVector) {
                return vector;
            }
            double[] widened = new double[vector.length];
            for (int i = 0; i < vector.length; i++) {
                widened[i] = vector[i];
            }
            return Vectors.dense(widened);
        }
    }
}
