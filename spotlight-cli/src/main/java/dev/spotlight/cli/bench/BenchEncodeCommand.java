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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight bench encode}: encoder throughput and latency on the deterministic benchmark
 * corpus. The same batches run through ONNX Runtime in the test-scope harness
 * {@code EncodeBenchmarkVsOnnxRuntime}, for a side-by-side comparison.
 */
@Command(name = "encode",
        mixinStandardHelpOptions = true,
        description = "Encoder tokens/s (corpus order, sorted, fixed 128; with and without returning every attention matrix)"
                + " and single-sentence latency. Progress goes to stderr; --sentences and --rounds shorten a run.")
public final class BenchEncodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M", description = "Model to measure (default: all-minilm-l6-v2).")
    String model;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Timed passes over the corpus per throughput figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--sentences", paramLabel = "N", defaultValue = "" + EncodeBenchmark.SENTENCES,
            description = "Use the corpus's first N sentences, 32..${DEFAULT-VALUE} (default: all; fewer finish sooner).")
    int sentences;

    @Option(names = "--latency-runs", paramLabel = "N", defaultValue = "200",
            description = "Timed single-sentence calls for the 16-token latency (half as many at 128 tokens; default: ${DEFAULT-VALUE}).")
    int latencyRuns;

    @Override
    public Integer call() {
        checkRange("--rounds", rounds, 1, 100);
        checkRange("--sentences", sentences, EncodeBenchmark.BATCH, EncodeBenchmark.SENTENCES);
        checkRange("--latency-runs", latencyRuns, 2, 100_000);
        if (threads != null) {
            checkRange("--threads", threads, 1, 4096);
            Parallel.setThreads(threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (EncoderModel encoder = Spotlight.load(model)) {
            Consumer<List<Encoding>> run = batch -> encoder.forward(batch, Capture.NONE);
            Consumer<List<Encoding>> capturing = batch -> encoder.forward(batch, Capture.ATTENTIONS);
            List<String> corpus = EncodeBenchmark.corpus().subList(0, sentences);
            var inOrder = EncodeBenchmark.batches(encoder.tokenizer(), corpus, false);
            var sorted = EncodeBenchmark.batches(encoder.tokenizer(), corpus, true);
            out.println(encoder.name() + ", " + Parallel.threads() + " threads; corpus: " + EncodeBenchmark.describeCorpus(inOrder));
            Progress progress = new Progress(err, 5);
            progress.next("corpus order, with and without every attention matrix, " + rounds + " alternating rounds");
            EncodeBenchmark.Paired corpusPair = EncodeBenchmark.paired(inOrder, rounds, run, capturing);
            out.printf(Locale.ROOT, "corpus order, batches of 32   %10.1f real tokens/s%n", corpusPair.firstRate());
            out.printf(Locale.ROOT, "  + every attention matrix    %10.1f real tokens/s, %.2fx the time (rounds %.2f-%.2f)%n",
                    corpusPair.secondRate(), corpusPair.ratio(), corpusPair.lowest(), corpusPair.highest());
            progress.next("sorted by length, " + rounds + " timed passes");
            out.printf(Locale.ROOT, "sorted by length, batches of 32 %8.1f tokens/s%n", EncodeBenchmark.tokensPerSecond(sorted, rounds, run));
            progress.next("fixed length 128, with and without every attention matrix, " + (rounds + 2) + " alternating rounds");
            List<List<Encoding>> fixed = List.of(EncodeBenchmark.fixedLength(encoder.tokenizer(), 128, EncodeBenchmark.BATCH));
            EncodeBenchmark.Paired fixedPair = EncodeBenchmark.paired(fixed, rounds + 2, run, capturing);
            out.printf(Locale.ROOT, "fixed length 128, batch 32    %10.1f tokens/s%n", fixedPair.firstRate());
            out.printf(Locale.ROOT, "  + every attention matrix    %10.1f tokens/s, %.2fx the time (rounds %.2f-%.2f)%n",
                    fixedPair.secondRate(), fixedPair.ratio(), fixedPair.lowest(), fixedPair.highest());
            progress.next("latency, " + latencyRuns + " calls of 16 tokens");
            out.printf(Locale.ROOT, "latency p50, 16 tokens        %10.2f ms%n", EncodeBenchmark.latencyMillis(
                    EncodeBenchmark.fixedLength(encoder.tokenizer(), 16, 1), latencyRuns, run));
            progress.next("latency, " + latencyRuns / 2 + " calls of 128 tokens");
            out.printf(Locale.ROOT, "latency p50, 128 tokens       %10.2f ms%n", EncodeBenchmark.latencyMillis(
                    EncodeBenchmark.fixedLength(encoder.tokenizer(), 128, 1), latencyRuns / 2, run));
            progress.done();
            out.flush();
        }
        return 0;
    }

    private void checkRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " " + value + ": expected " + min + ".." + max);
        }
    }

    /** One stderr line per step, "bench encode [2/7] …, 12 s so far", so a long run shows where it is. */
    private record Progress(PrintWriter err, int steps, long start, int[] step) {
        Progress(PrintWriter err, int steps) {
            this(err, steps, System.nanoTime(), new int[1]);
        }

        void next(String what) {
            step[0]++;
            err.printf(Locale.ROOT, "bench encode [%d/%d] %s (%.0f s so far)%n", step[0], steps, what, (System.nanoTime() - start) / 1e9);
            err.flush();
        }

        void done() {
            err.printf(Locale.ROOT, "bench encode: done in %.0f s%n", (System.nanoTime() - start) / 1e9);
            err.flush();
        }
    }
}
