package dev.spotlight.spark;

import dev.spotlight.explain.HeadStatistics;
import dev.spotlight.explain.Rollout;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.pooling.SentencePooling;
import dev.spotlight.tokenizers.Encoding;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Text → what one would chart of a model's attention at corpus scale, per text:
 * <ul>
 *   <li>{@code tokens}: the real tokens the model saw (special tokens included);</li>
 *   <li>{@code rollout}: per token, its share of the pooled sentence embedding by attention rollout
 *       (Abnar &amp; Zuidema 2020, {@link Rollout}) through every layer: the mean of the last layer's
 *       rollout rows for mean (and max) pooling, the [CLS] row for CLS pooling. It sums to 1;</li>
 *   <li>{@code entropy}, {@code cls}, {@code sep}, {@code self}, {@code previous}: the head statistics of
 *       Clark et al. 2019 ({@link HeadStatistics}), each {@code [layer][head]}.</li>
 * </ul>
 * Tokenized as {@link SpotlightEmbedder} does, so the tokens are those the embedding came from. Each
 * text's attention is {@code layers × heads × n²} floats while its batch runs (4.7 MB for a 128-token
 * text on MiniLM), hence a smaller default batch. Null text: a null struct.
 */
public final class SpotlightAttentionSummary extends EncoderStage<SpotlightAttentionSummary> {

    public SpotlightAttentionSummary() {
        this(Identifiable.randomUID("spotlightAttentionSummary"));
    }

    public SpotlightAttentionSummary(String uid) {
        super(uid, "attention", 16);
    }

    public static MLReader<SpotlightAttentionSummary> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightAttentionSummary load(String path) {
        return read().load(path);
    }

    @Override
    protected DataType outputColumnType() {
        DataType perHead = DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        return new StructType()
                .add("tokens", DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add("rollout", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add("entropy", perHead, false)
                .add("cls", perHead, false)
                .add("sep", perHead, false)
                .add("self", perHead, false)
                .add("previous", perHead, false);
    }

    @Override
    protected BatchKernel kernel() {
        return new Kernel();
    }

    /** Per token, its rollout share of the pooled output: the pooled row(s) of the last layer's rollout. */
    static double[] pooledShare(double[][] lastRollout, SentencePooling.Mode mode) {
        int n = lastRollout.length;
        if (mode == SentencePooling.Mode.CLS) {
            return lastRollout[0].clone();
        }
        double[] share = new double[n];
        for (double[] row : lastRollout) {
            for (int j = 0; j < n; j++) {
                share[j] += row[j];
            }
        }
        for (int j = 0; j < n; j++) {
            share[j] /= n;
        }
        return share;
    }

    /** Sequence {@code s}'s attention as explain takes it, {@code [layer][head][query][key]}. */
    static float[][][][] attention(EncoderOutput output, int s) {
        int len = output.batch().length(s);
        int layers = output.attentions().length;
        float[][][][] out = new float[layers][output.heads()][len][len];
        for (int l = 0; l < layers; l++) {
            float[] flat = output.attention(l, s); // [heads, len, len]
            for (int h = 0; h < output.heads(); h++) {
                for (int q = 0; q < len; q++) {
                    System.arraycopy(flat, (h * len + q) * len, out[l][h][q], 0, len);
                }
            }
        }
        return out;
    }

    private static final class Kernel extends EncoderKernel {
        @Override
        Capture capture() {
            return Capture.ATTENTIONS;
        }

        @Override
        Object output(EncoderModel model, EncoderOutput output, int s, Encoding encoding) {
            float[][][][] attention = attention(output, s);
            int len = output.batch().length(s);
            int[] mask = encoding.attentionMask();
            int[] specialMask = encoding.specialTokensMask();
            String[] tokens = new String[len];
            boolean[] special = new boolean[len];
            for (int p = 0, t = 0; p < mask.length; p++) {
                if (mask[p] == 1) {
                    tokens[t] = encoding.token(p);
                    special[t++] = specialMask[p] == 1;
                }
            }
            double[][][] rollout = Rollout.of(attention); // [layer][query][key]
            HeadStatistics stats = HeadStatistics.of(attention, special);
            return RowFactory.create(tokens, pooledShare(rollout[rollout.length - 1], model.pooling().mode()),
                    stats.entropy(), stats.cls(), stats.sep(), stats.self(), stats.previous());
        }
    }
}
