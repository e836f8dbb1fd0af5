package dev.spotlight.cli;

import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.pooling.SentencePooling;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How {@code embed} and {@code similarity} turn token states into one vector, which the user may
 * override, and what they say about it on stderr: the pooling applied, and texts cut to the model's
 * length (a 20,000-word text used to be cut to 128 tokens without a word).
 */
final class EmbeddingOptions {

    @Option(names = "--pooling", paramLabel = "MODE",
            description = "mean, cls or max (default: the model's own, from sentence-transformers' modules.json; mean for a"
                    + " bare .onnx or a folder without one).")
    String pooling;

    @Option(names = "--normalize", negatable = true,
            description = "Scale every embedding to unit length, or not with --no-normalize (default: the model's own;"
                    + " a bare .onnx or a folder without modules.json is not normalised).")
    Boolean normalize;

    /** The model with the pooling asked for; its own when no option is given. */
    EncoderModel apply(EncoderModel model, CommandLine cli) {
        if (pooling == null && normalize == null) {
            return model;
        }
        SentencePooling.Mode mode = model.pooling().mode();
        if (pooling != null) {
            try {
                mode = SentencePooling.Mode.parse(pooling);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cli, "--pooling " + pooling + ": expected mean, cls or max");
            }
        }
        return model.withPooling(new SentencePooling(mode, normalize != null ? normalize : model.pooling().normalize()));
    }

    /** "mean pooling, L2-normalised". */
    static String describe(SentencePooling pooling) {
        return pooling.mode().name().toLowerCase(Locale.ROOT) + " pooling, " + (pooling.normalize() ? "L2-normalised" : "not normalised");
    }

    /** One stderr line when some texts were longer than the model takes. */
    static void reportTruncated(PrintWriter err, EncoderModel model, int truncated, int total) {
        if (truncated > 0) {
            err.printf(Locale.ROOT, "spotlight: %d of %d text(s) were longer than %s's limit of %d tokens and were cut there;"
                    + " the rest of each does not count in its embedding%n", truncated, total, model.name(),
                    model.options().truncation().maxLength());
            err.flush();
        }
    }
}
