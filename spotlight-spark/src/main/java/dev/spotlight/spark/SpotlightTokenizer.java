package dev.spotlight.spark;

import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.Truncation;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Text (and optional pair text) → a struct of {@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}, {@code offsets} ([start, end) in Unicode code points of the text it came
 * from, as Hugging Face's Python binding gives them), {@code tokens} and {@code special_tokens_mask}:
 * each row exactly what {@code Tokenizer.encodeBatch} gives for it. {@code select("col.*")} spreads
 * the fields into columns.
 *
 * <p>A row's columns never depend on which rows share its partition, so batch-longest padding (a
 * tokenizer.json's {@code BatchLongest}) becomes no padding: {@code padding} is {@code tokenizer} (the
 * file's fixed-length padding, if any), {@code none}, or {@code max_length} (pad to the truncation
 * length), on {@code paddingSide} left or right (empty: the file's side). {@code maxLength} 0 keeps the
 * tokenizer's own truncation (none if its file has none). {@code model} may also name a
 * tokenizer.json file. A null text gives a null struct; a null pair encodes the text alone.
 */
public final class SpotlightTokenizer extends EncoderStage<SpotlightTokenizer> {
    private final Param<String> pairCol = new Param<>(this, "pairCol", "the pair text column (string); empty = none");
    private final Param<String> padding = new Param<>(this, "padding", "'tokenizer' (the file's fixed padding, if any),"
            + " 'none' or 'max_length'", ParamValidators.inArray(List.of("tokenizer", "none", "max_length")));
    private final Param<String> paddingSide = new Param<>(this, "paddingSide", "'left', 'right' or empty (the file's side)",
            ParamValidators.inArray(List.of("", "left", "right")));
    private final BooleanParam addSpecialTokens = new BooleanParam(this, "addSpecialTokens",
            "whether the post-processor adds [CLS], [SEP] and the like");

    public SpotlightTokenizer() {
        this(Identifiable.randomUID("spotlightTokenizer"));
    }

    public SpotlightTokenizer(String uid) {
        super(uid, "encoding", 256);
        setDefault(pairCol, "");
        setDefault(padding, "tokenizer");
        setDefault(paddingSide, "");
        setDefault(addSpecialTokens, true);
    }

    public static MLReader<SpotlightTokenizer> read() {
        return new DefaultParamsReader<>();
    }

    public static SpotlightTokenizer load(String path) {
        return read().load(path);
    }

    public Param<String> pairCol() {
        return pairCol;
    }

    public Param<String> padding() {
        return padding;
    }

    public Param<String> paddingSide() {
        return paddingSide;
    }

    public BooleanParam addSpecialTokens() {
        return addSpecialTokens;
    }

    public String getPairCol() {
        return getOrDefault(pairCol);
    }

    public String getPadding() {
        return getOrDefault(padding);
    }

    public String getPaddingSide() {
        return getOrDefault(paddingSide);
    }

    public boolean getAddSpecialTokens() {
        return (Boolean) getOrDefault(addSpecialTokens);
    }

    public SpotlightTokenizer setPairCol(String value) {
        return (SpotlightTokenizer) set(pairCol, value);
    }

    public SpotlightTokenizer setPadding(String value) {
        return (SpotlightTokenizer) set(padding, value);
    }

    public SpotlightTokenizer setPaddingSide(String value) {
        return (SpotlightTokenizer) set(paddingSide, value);
    }

    public SpotlightTokenizer setAddSpecialTokens(boolean value) {
        return (SpotlightTokenizer) set(addSpecialTokens, value);
    }

    @Override
    SecondInput secondInput() {
        return new SecondInput("pairCol", getPairCol(), false);
    }

    @Override
    protected DataType outputColumnType() {
        DataType ints = DataTypes.createArrayType(DataTypes.IntegerType, false);
        return new StructType()
                .add("input_ids", ints, false)
                .add("attention_mask", ints, false)
                .add("token_type_ids", ints, false)
                .add("offsets", DataTypes.createArrayType(ints, false), false)
                .add("tokens", DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add("special_tokens_mask", ints, false);
    }

    @Override
    protected BatchKernel kernel() {
        return new Kernel(getPadding(), getPaddingSide(), getAddSpecialTokens());
    }

    /**
     * The options a row is encoded with: what {@code Tokenizer.encodeBatch} must be given to produce the
     * stage's columns.
     */
    static EncodeOptions options(Tokenizer tokenizer, StageSettings settings, String padding, String side, boolean special) {
        EncodeOptions defaults = tokenizer.defaults();
        Truncation truncation = defaults.truncation();
        if (settings.maxLength() > 0) {
            truncation = truncation == null ? Truncation.of(settings.maxLength())
                    : new Truncation(settings.maxLength(), truncation.strategy(), truncation.direction(), truncation.stride());
            tokenizer.checkTruncation(truncation);
        }
        Padding base = defaults.padding() == null ? Padding.batchLongest() : defaults.padding();
        Padding pad = switch (padding) {
            case "none" -> null;
            case "max_length" -> {
                if (truncation == null) {
                    throw new SpotlightSparkException(settings.error("padding", padding,
                            "needs a length: set maxLength (the tokenizer has no truncation of its own)"));
                }
                yield base.withFixed(truncation.maxLength());
            }
            default -> defaults.padding() == null || defaults.padding().isBatchLongest() ? null : defaults.padding();
        };
        if (pad != null && !side.isEmpty()) {
            pad = pad.withDirection(side.equals("left") ? Direction.Left : Direction.Right);
        }
        return new EncodeOptions(special, pad, truncation);
    }

    private record Kernel(String padding, String side, boolean special) implements BatchKernel {
        @Override
        public Object[] run(StageSettings settings, List<String> texts, List<?> pairs) {
            Tokenizer tokenizer = ExecutorModels.tokenizer(settings);
            EncodeOptions options = options(tokenizer, settings, padding, side, special);
            List<Encoding> encodings = tokenizer.encodeBatch(texts, BatchKernel.strings(pairs), options);
            Object[] out = new Object[encodings.size()];
            for (int i = 0; i < out.length; i++) {
                Encoding e = encodings.get(i);
                if (!settings.truncate() && !e.overflowing().isEmpty()) {
                    out[i] = new Invalid("more than " + options.truncation().maxLength() + " tokens (maxLength="
                            + settings.maxLength() + ", truncate=false)");
                    continue;
                }
                int[] flat = e.offsets();
                int[][] offsets = new int[e.length()][]; // [tokens][start, end]
                for (int t = 0; t < offsets.length; t++) {
                    offsets[t] = new int[] {flat[2 * t], flat[2 * t + 1]};
                }
                out[i] = RowFactory.create(e.ids(), e.attentionMask(), e.typeIds(), offsets,
                        e.tokens().toArray(new String[0]), e.specialTokensMask());
            }
            return out;
        }
    }
}
