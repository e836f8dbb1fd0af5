package dev.spotlight.cli;

import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.pooling.SentencePooling;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spotlight similarity "a" "b"}: the cosine similarity of two texts' sentence embeddings. */
@Command(name = "similarity",
        mixinStandardHelpOptions = true,
        description = "Cosine similarity of two texts' sentence embeddings.")
public final class SimilarityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "First text.")
    String first;

    @Parameters(index = "1", paramLabel = "B", description = "Second text.")
    String second;

    @Option(names = "--model", paramLabel = "M", description = "Built-in name, model folder, .onnx or .jar (default: all-minilm-l6-v2).")
    String model;

    @picocli.CommandLine.Mixin
    EmbeddingOptions embedding = new EmbeddingOptions();

    @Override
    public Integer call() {
        try (EncoderModel encoder = embedding.apply(Spotlight.load(model), spec.commandLine())) {
            int[] truncated = new int[1];
            float[][] vectors = encoder.embed(List.of(first, second), i -> truncated[0]++);
            EmbeddingOptions.reportTruncated(spec.commandLine().getErr(), encoder, truncated[0], 2);
            spec.commandLine().getOut().println(String.format(Locale.ROOT, "%.4f", SentencePooling.cosine(vectors[0], vectors[1])));
        }
        return 0;
    }
}
