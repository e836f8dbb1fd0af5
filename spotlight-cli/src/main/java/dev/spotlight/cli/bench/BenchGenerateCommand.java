package dev.spotlight.cli.bench;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.bench.GenerateBenchmark;
import dev.spotlight.tensor.bench.MemoryBandwidth;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.Parallel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight bench generate}: a decoder's prefill and decode tokens/s on any model folder, and
 * decode against the memory-bandwidth limit (bytes of weight matrices per token ÷ measured read
 * bandwidth). The same measurements run beside ONNX Runtime and Jlama in the test-scope harness
 * {@code GenerateBenchmarkVsOthers}.
 */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = "Decoder prefill and decode tokens/s (1 and N sequences) and decode against the bandwidth limit.")
public final class BenchGenerateCommand implements Callable<Integer> {
    /** The read-bandwidth meter's buffer: 16× the 32 MB L3, nothing useful survives in cache between passes. */
    private static final long BANDWIDTH_BYTES = 512L << 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model folder (config.json, safetensors).")
    Path model;

    @Option(names = "--prompt-tokens", defaultValue = "128", paramLabel = "N",
            description = "Prompt length for the prefill; decoding starts after a quarter of it (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "64", paramLabel = "N", description = "Tokens generated per sequence (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--sequences", defaultValue = "16", paramLabel = "N", description = "Sequences decoding together (default: ${DEFAULT-VALUE}).")
    int sequences;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "N", description = "Measured runs; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() {
        requireAtLeast("--prompt-tokens", promptTokens, 4);
        requireAtLeast("--new-tokens", newTokens, 2);
        requireAtLeast("--sequences", sequences, 1);
        requireAtLeast("--repeat", repeat, 1);
        if (threads != null) {
            requireAtLeast("--threads", threads, 1);
            Parallel.setThreads(threads);
        }
        if (!Files.isDirectory(model)) {
            throw new ParameterException(spec.commandLine(), "--model " + model + ": not a folder, expected a Hugging Face model folder");
        }
        PrintWriter out = spec.commandLine().getOut();
        long storedBytes;
        long elements;
        try (Weights weights = Safetensors.open(model)) {
            storedBytes = GenerateBenchmark.weightBytesPerToken(weights);
            elements = GenerateBenchmark.matrixElements(weights);
        }
        try (CausalLM lm = Spotlight.causalLM(model.toString())) {
            int vocab = lm.config().vocabSize();
            int decodePrompt = Math.max(1, promptTokens / 4);
            int context = lm.config().maxPositions();
            if (promptTokens >= context || decodePrompt + newTokens > context) {
                throw new ParameterException(spec.commandLine(), "--prompt-tokens " + promptTokens + " / --new-tokens " + newTokens
                        + ": the model's context is " + context + " positions");
            }
            int[] prompt = GenerateBenchmark.prompts(1, promptTokens, vocab, promptTokens).getFirst();
            List<int[]> prompts = GenerateBenchmark.prompts(sequences, decodePrompt, vocab, 7);
            out.printf(Locale.ROOT, "%s, %d threads; a decode step reads %.1f MB of weight matrices as stored%n", lm.name(),
                    Parallel.threads(), storedBytes / 1e6);
            out.flush();
            // warm-up: JIT, the heap's growth and the cache's first blocks
            GenerateBenchmark.prefillTokensPerSecond(lm, prompt);
            GenerateBenchmark.decodeTokensPerSecond(lm, prompts.subList(0, 1), Math.min(newTokens, 8));
            double prefill = median(() -> GenerateBenchmark.prefillTokensPerSecond(lm, prompt));
            out.printf(Locale.ROOT, "prefill, %d-token prompt          %10.1f tokens/s%n", promptTokens, prefill);
            out.flush();
            // the memory's speed moves (with the host's other tenants, and between two states on this
            // machine kind): each decode run is set against the higher of the bandwidths measured right
            // before and right after it, so a change of state during the run cannot flatter it
            MemoryBandwidth meter = new MemoryBandwidth(BANDWIDTH_BYTES);
            double[] runs = new double[repeat];
            double[] shares = new double[repeat];
            double[] bandwidths = new double[repeat];
            for (int r = 0; r < repeat; r++) {
                double before = meter.bestOf(3);
                runs[r] = GenerateBenchmark.decodeTokensPerSecond(lm, prompts.subList(0, 1), newTokens);
                bandwidths[r] = Math.max(before, meter.bestOf(3));
                shares[r] = runs[r] * storedBytes / bandwidths[r];
            }
            double one = GenerateBenchmark.median(runs);
            out.printf(Locale.ROOT, "decode, 1 sequence (%d steps)     %10.1f tokens/s%n", newTokens - 1, one);
            out.flush();
            if (sequences > 1) {
                double many = median(() -> GenerateBenchmark.decodeTokensPerSecond(lm, prompts, newTokens));
                out.printf(Locale.ROOT, "decode, %d sequences together    %10.1f tokens/s (%.2f× one)%n", sequences, many, many / one);
            }
            double bandwidth = GenerateBenchmark.median(bandwidths);
            out.printf(Locale.ROOT, "read bandwidth %.1f GB/s (median of the decode runs'): decode limit %.1f tokens/s as"
                    + " stored, %.1f at f32; one sequence at %.0f%% of its run's limit as stored (median)%n", bandwidth / 1e9,
                    bandwidth / storedBytes, bandwidth / (elements * 4.0), 100 * GenerateBenchmark.median(shares));
            out.flush();
        }
        return 0;
    }

    private double median(DoubleSupplier run) {
        double[] values = new double[repeat];
        for (int r = 0; r < repeat; r++) {
            values[r] = run.getAsDouble();
        }
        return GenerateBenchmark.median(values);
    }

    private void requireAtLeast(String option, int value, int least) {
        if (value < least) {
            throw new ParameterException(spec.commandLine(), option + " " + value + ": expected at least " + least);
        }
    }
}
