package dev.spotlight.spark;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Truncation;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage that runs the encoder: tokenizes a batch exactly as {@link EncoderModel#embed} does (the
 * model's options, with {@code maxLength} when set), runs one packed forward pass over its valid
 * texts, and turns each sequence's share of the output into a column value.
 */
abstract class EncoderKernel implements BatchKernel {

    /** What the forward pass must keep. */
    abstract Capture capture();

    /** The output value of sequence {@code s} of {@code output}. */
    abstract Object output(EncoderModel model, EncoderOutput output, int s, Encoding encoding);

    @Override
    public Object[] run(StageSettings settings, List<String> texts, List<?> pairs) {
        EncoderModel model = ExecutorModels.encoder(settings);
        List<Encoding> encodings = model.tokenizer().encodeBatch(texts, options(model, settings));
        Object[] out = new Object[texts.size()];
        List<Encoding> valid = new ArrayList<>(encodings.size());
        List<Integer> validIndex = new ArrayList<>(encodings.size());
        for (int i = 0; i < encodings.size(); i++) {
            Encoding e = encodings.get(i);
            if (!settings.truncate() && !e.overflowing().isEmpty()) {
                out[i] = new Invalid("more than " + options(model, settings).truncation().maxLength()
                        + " tokens (maxLength=" + settings.maxLength() + ", truncate=false)");
            } else {
                valid.add(e);
                validIndex.add(i);
            }
        }
        if (!valid.isEmpty()) {
            EncoderOutput output = model.forward(valid, capture());
            for (int s = 0; s < valid.size(); s++) {
                out[validIndex.get(s)] = output(model, output, s, valid.get(s));
            }
        }
        return out;
    }

    /** The model's own inputs, as {@link EncoderModel#embed} uses them, cut at {@code maxLength} when set. */
    static EncodeOptions options(EncoderModel model, StageSettings settings) {
        EncodeOptions options = model.options();
        int max = settings.maxLength();
        if (max == 0) {
            return options;
        }
        if (max > model.maxSequenceLength()) {
            throw new SpotlightSparkException(settings.error("maxLength", max, "more than the "
                    + model.maxSequenceLength() + " tokens model " + model.name() + " can take"));
        }
        Truncation t = options.truncation();
        return options.withTruncation(new Truncation(max, t.strategy(), t.direction(), t.stride()));
    }
}
