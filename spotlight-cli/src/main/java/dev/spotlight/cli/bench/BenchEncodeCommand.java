package dev.spotlight.cli.bench;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.bench.EncodeBenchmark;
import dev.spotlight.tensor.Parallel;
import dev.spotlight.tokenizers.Encoding;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight bench encode}: encoder throughput and latency on the deterministic benchmark
 * corpus. The same batches run through ONNX Runtime in the test-scope harness
 * {@code EncodeBenchmarkVsOnnxRuntime}, for a side-by-side comparison.
 */
@Command(name = "encode",
        mixinStandardHelpOptions = true,
        description = "Encoder tokens/s (corpus order, sorted, fixed 128) and single-sentence latency.")
public final class BenchEncodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M", description = "Model to measure (default: all-minilm-l6-v2).")
    String model;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (EncoderModel encoder = Spotlight.load(model)) {
            Consumer<List<Encoding>> run = batch -> encoder.forward(batch, Capture.NONE);
            List<String> corpus = EncodeBenchmark.corpus();
            var inOrder = EncodeBenchmark.batches(encoder.tokenizer(), corpus, false);
            var sorted = EncodeBenchmark.batches(encoder.tokenizer(), corpus, true);
            out.println(encoder.name() + ", " + Parallel.threads() + " threads; corpus: " + EncodeBenchmark.describeCorpus(inOrder));
            out.printf(Locale.ROOT, "corpus order, batches of 32   %10.1f real tokens/s%n", EncodeBenchmark.tokensPerSecond(inOrder, 3, run));
            out.printf(Locale.ROOT, "sorted by length, batches of 32 %8.1f tokens/s%n", EncodeBenchmark.tokensPerSecond(sorted, 3, run));
            out.printf(Locale.ROOT, "fixed length 128, batch 32    %10.1f tokens/s%n", EncodeBenchmark.tokensPerSecond(
                    List.of(EncodeBenchmark.fixedLength(encoder.tokenizer(), 128, EncodeBenchmark.BATCH)), 5, run));
            out.printf(Locale.ROOT, "latency p50, 16 tokens        %10.2f ms%n", EncodeBenchmark.latencyMillis(
                    EncodeBenchmark.fixedLength(encoder.tokenizer(), 16, 1), 200, run));
            out.printf(Locale.ROOT, "latency p50, 128 tokens       %10.2f ms%n", EncodeBenchmark.latencyMillis(
                    EncodeBenchmark.fixedLength(encoder.tokenizer(), 128, 1), 100, run));
            out.flush();
        }
        return 0;
    }
}
