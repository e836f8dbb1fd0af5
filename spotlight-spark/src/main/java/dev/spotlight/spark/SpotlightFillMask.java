package dev.spotlight.spark;

import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.FillMask;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import java.util.List;
import org.apache.spark.ml.param.IntParam;
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
 * Text with mask tokens → proposals for each mask, each row what the library's {@link FillMask} gives
 * (transformers' {@code FillMaskPipeline}): per mask token of the text, in order, an array of its
 * {@code topK} best proposals ({@code score, token, token_str, sequence}, the sequence being the text
 * with that proposal filled in), restricted to {@code targets} when given. A single-mask text's
 * proposals are {@code col[0]}. A null text gives null; a text without the model's mask token (an
 * empty text, say) is an invalid row. One forward pass per row.
 */
public final class SpotlightFillMask extends TaskStage<SpotlightFillMask> {
    private final IntParam topK = new IntParam(this, "topK", "proposals per mask, best first", ParamValidators.gtEq(1));
    private final StringArrayParam targets = new StringArrayParam(this, "targets",
            "the only words proposed (each a vocabulary token, else its first token); empty = the whole vocabulary");

    public SpotlightFillMask() {
        this(Identifiable.randomUID("spotlightFillMask"));
    }

    public SpotlightFillMask(String uid) {
        super(uid, "text", "fills", Task.MASKED_LM);
        setDefault(topK, FillMask.Options.DEFAULTS.topK());
        setDefault(targets, new String[0]);
    }

    public static MLReader<SpotlightFillMask> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightFillMask load(String path) {
        return read().load(path);
    }

    public IntParam topK() {
        return topK;
    }

    public StringArrayParam targets() {
        return targets;
    }

    public int getTopK() {
        return (Integer) getOrDefault(topK);
    }

    public String[] getTargets() {
        return getOrDefault(targets);
    }

    public SpotlightFillMask setTopK(int value) {
        return (SpotlightFillMask) set(topK, value);
    }

    public SpotlightFillMask setTargets(String[] value) {
        return (SpotlightFillMask) set(targets, value);
    }

    @Override
    protected DataType outputColumnType() {
        StructType fill = new StructType().add("score", DataTypes.DoubleType, false).add("token", DataTypes.IntegerType, false)
                .add("token_str", DataTypes.StringType, false).add("sequence", DataTypes.StringType, false);
        return DataTypes.createArrayType(DataTypes.createArrayType(fill, false), false);
    }

    @Override
    protected BatchKernel kernel() {
        String[] t = getTargets();
        return new Kernel(getTopK(), t.length == 0 ? null : List.of(t));
    }

    private static final class Kernel extends TaskKernel {
        private final int topK;
        private final List<String> targets;   // null: the whole vocabulary

        Kernel(int topK, List<String> targets) {
            super(Task.MASKED_LM);
            this.topK = topK;
            this.targets = targets;
        }

        @Override
        Object[] run(TaskModel model, StageSettings settings, List<String> texts, List<?> pairs) {
            FillMask fillMask = pipeline(settings, () -> new FillMask(model));
            FillMask.Options options = new FillMask.Options(topK, targets);
            return perRow(texts, null, (text, none) -> {
                List<List<FillMask.Fill>> masks = fillMask.fill(text, options, Capture.NONE).masks();
                Row[][] out = new Row[masks.size()][];
                for (int m = 0; m < out.length; m++) {
                    List<FillMask.Fill> fills = masks.get(m);
                    out[m] = new Row[fills.size()];
                    for (int f = 0; f < fills.size(); f++) {
                        FillMask.Fill x = fills.get(f);
                        out[m][f] = RowFactory.create(x.score(), x.token(), x.tokenStr(), x.sequence());
                    }
                }
                return out;
            });
        }
    }
}
