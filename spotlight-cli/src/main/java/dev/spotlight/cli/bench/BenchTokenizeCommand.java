package dev.spotlight.cli.bench;

import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight bench tokenize}: lines/s and tokens/s of the tokenizer, measured the way
 * goldens/bench-rust.mjs measures the Rust library on the same lines (padding and truncation off,
 * special tokens on, one warm-up pass, median of the repeats), so the two figures compare.
 */
@Command(name = "tokenize",
        mixinStandardHelpOptions = true,
        description = "Tokenizer throughput: per-line encode on one thread, encodeBatch on 1 and N threads.")
public final class BenchTokenizeCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, description = "tokenizer.json file")
    Path tokenizerFile;

    @Option(names = "--lines", required = true, description = "UTF-8 text file, one input per line")
    Path linesFile;

    @Option(names = "--threads", description = "threads for the parallel batch pass (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--batch", defaultValue = "1000", description = "lines per encodeBatch call (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--repeat", defaultValue = "5", description = "measured passes; the median is reported (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "SECONDS",
            description = "unmeasured passes of each mode for at least this long first (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Spec
    CommandSpec spec;

    /** One measured pass: wall time and the tokens it produced (a checksum that the work was done). */
    record Pass(double seconds, long tokens) {
    }

    /** Median figures of one way of encoding. */
    record Result(String mode, int lines, long tokens, double linesPerSecond, double tokensPerSecond) {
    }

    @Override
    public Integer call() {
        requirePositive("--threads", threads);
        requirePositive("--batch", batch);
        requirePositive("--repeat", repeat);
        if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
            throw new ParameterException(spec.commandLine(), "--warmup " + warmupSeconds + ": expected 0..600 seconds");
        }
        List<String> lines = readLines(linesFile);
        Tokenizer tokenizer = Tokenizer.fromFile(tokenizerFile);
        EncodeOptions options = tokenizer.defaults().withPadding(null).withTruncation(null);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "tokenizer %s, %d lines, batch %d, median of %d after %.1f s of warm-up per mode%n",
                tokenizerFile.getFileName(), lines.size(), batch, repeat, warmupSeconds);
        List<Result> results = new ArrayList<>();
        results.add(measure("encode, 1 thread", lines, all -> {
            long tokens = 0;
            for (String line : all) {
                tokens += tokenizer.encode(line, null, options).length();
            }
            return tokens;
        }));
        for (int n : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
            results.add(measure("encodeBatch, " + n + " thread" + (n == 1 ? "" : "s"), lines, all -> inPool(n, () -> {
                long tokens = 0;
                for (int i = 0; i < all.size(); i += batch) {
                    for (Encoding e : tokenizer.encodeBatch(all.subList(i, Math.min(all.size(), i + batch)), options)) {
                        tokens += e.length();
                    }
                }
                return tokens;
            })));
        }
        for (Result r : results) {
            out.printf("%-24s %,10.0f lines/s %,12.0f tokens/s  (%d tokens)%n", r.mode(), r.linesPerSecond(), r.tokensPerSecond(), r.tokens());
        }
        out.flush();
        return 0;
    }

    private Result measure(String mode, List<String> lines, ToLongFunction<List<String>> work) {
        // Warm-up: class loading, JIT, caches, and the heap's growth to its steady size. One pass
        // was not enough: the young generation was still growing during the two-thread passes, and
        // the page faults on its new memory made two threads measure slower than one (96k against
        // 121k lines/s for MiniLM; 208k against 116k once the heap has settled).
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            work.applyAsLong(lines);
        } while (System.nanoTime() < warmupEnd);
        Pass[] passes = new Pass[repeat];
        for (int r = 0; r < repeat; r++) {
            long start = System.nanoTime();
            long tokens = work.applyAsLong(lines);
            passes[r] = new Pass((System.nanoTime() - start) / 1e9, tokens);
        }
        Arrays.sort(passes, (a, b) -> Double.compare(a.seconds(), b.seconds()));
        Pass median = passes[repeat / 2];
        return new Result(mode, lines.size(), median.tokens(), lines.size() / median.seconds(), median.tokens() / median.seconds());
    }

    /** encodeBatch's parallel stream runs in the pool that calls it, so the pool size is the thread count. */
    private static long inPool(int threads, Callable<Long> task) {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private List<String> readLines(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--lines " + file + ": the file has no lines, expected at least one");
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("--lines " + file + ": cannot read (" + e + ")", e);
        }
    }

    private void requirePositive(String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " " + value + ": expected a positive number");
        }
    }
}
