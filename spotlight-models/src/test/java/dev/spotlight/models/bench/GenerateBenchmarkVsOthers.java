package dev.spotlight.models.bench;

import dev.spotlight.tensor.bench.MemoryBandwidth;

import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spotlight, ONNX Runtime Java and Jlama generating on the same weights in the same JVM, 2 threads
 * each: random weights in the shapes of SmolLM2-135M (F32) and Llama-3.2-1B (BF16), written on demand
 * into {@code target/bench-models/} with their ONNX export. Prints, per model, prefill tokens/s
 * (128 and 512 tokens), decode tokens/s for one sequence and for 16 together, and decode against the
 * memory-bandwidth limit. Test scope: ONNX Runtime and Jlama are not product dependencies. Run:
 * <pre>./build -q -pl spotlight-models -am test-compile &amp;&amp; ./build -q -pl spotlight-models exec:exec@bench-generate</pre>
 * Options (in {@code -Dbench.args="…"}): {@code --models a,b} (folder names), {@code --engines
 * spotlight,onnxruntime,jlama}, {@code --rounds N}, {@code --cache DIR}.
 */
public final class GenerateBenchmarkVsOthers {
    /** The read-bandwidth meter's buffer: 16× the 32 MB L3, nothing useful survives in cache between passes. */
    private static final long BANDWIDTH_BYTES = 512L << 20;
    private static final int THREADS = 2;
    private static final int DECODE_PROMPT = 32;
    private static final int NEW_TOKENS = 64;
    private static final int SEQUENCES = 16;
    private static final Path EXPORT_SCRIPT = Path.of("bench/export_decoder_onnx.py");

    private GenerateBenchmarkVsOthers() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path cache = Path.of(options.getOrDefault("--cache", "target/bench-models"));
        List<String> engines = List.of(options.getOrDefault("--engines", "spotlight,onnxruntime,jlama").split(","));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
        List<String> models = options.containsKey("--models") ? List.of(options.get("--models").split(","))
                : BenchModels.ALL.stream().map(BenchModels.Shape::name).toList();
        Parallel.setThreads(THREADS);
        System.out.printf(Locale.ROOT, "%d threads, %d rounds alternating the engines, medians; heap -Xmx %.1f GB%n",
                THREADS, rounds, Runtime.getRuntime().maxMemory() / 1e9);
        // the memory's speed moves with the host's other tenants, so it is measured again in every
        // decode round, right before the engines decode, and each round's decode is set against it
        MemoryBandwidth bandwidth = new MemoryBandwidth(BANDWIDTH_BYTES);
        for (String name : models) {
            BenchModels.Shape shape = BenchModels.ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--models: no model " + name + ", expected one of "
                            + BenchModels.ALL.stream().map(BenchModels.Shape::name).toList()));
            Path folder = BenchModels.ensure(shape, cache);
            Path onnx = engines.contains("onnxruntime") ? ensureOnnx(folder) : null;
            bench(shape, folder, onnx, engines, rounds, bandwidth);
            System.gc();  // the next model size starts with this one's memory freed
        }
    }

    private static void bench(BenchModels.Shape shape, Path folder, Path onnx, List<String> engines, int rounds,
                              MemoryBandwidth bandwidth) {
        long storedBytes;
        long elements;
        try (Weights w = Safetensors.open(folder)) {
            storedBytes = GenerateBenchmark.weightBytesPerToken(w);
            elements = GenerateBenchmark.matrixElements(w);
        }
        System.out.printf(Locale.ROOT, "%n## %s: %,d parameters, %s; decode reads %.1f MB of matrices per token as stored%n",
                shape.name(), shape.parameters(), shape.dtype(), storedBytes / 1e6);
        List<Contender> contenders = new ArrayList<>();
        try {
            for (String engine : engines) {
                long start = System.nanoTime();
                contenders.add(switch (engine) {
                    case "spotlight" -> new SpotlightContender(folder);
                    case "onnxruntime" -> new OrtContender(onnx, shape.layers(), shape.kvHeads(), shape.headDim(), THREADS);
                    case "jlama" -> new JlamaContender(folder, THREADS);
                    default -> throw new IllegalArgumentException("--engines: " + engine + ", expected spotlight, onnxruntime or jlama");
                });
                System.out.printf(Locale.ROOT, "loaded %s in %.1f s%n", engine, (System.nanoTime() - start) / 1e9);
            }
            List<int[]> decodePrompts = GenerateBenchmark.prompts(SEQUENCES, DECODE_PROMPT, shape.vocab(), 7);
            int[] prompt128 = GenerateBenchmark.prompts(1, 128, shape.vocab(), 128).getFirst();
            int[] prompt512 = GenerateBenchmark.prompts(1, 512, shape.vocab(), 512).getFirst();
            for (Contender c : contenders) {  // warm-up, and the engines' greedy tokens side by side
                System.out.println(c.name() + " next tokens after 2 prompts: "
                        + Arrays.toString(c.batches() ? c.nextTokens(decodePrompts.subList(0, 2))
                        : new int[] {c.nextTokens(decodePrompts.subList(0, 1))[0], c.nextTokens(decodePrompts.subList(1, 2))[0]}));
                c.prefillTokensPerSecond(prompt128);
                c.decodeTokensPerSecond(decodePrompts.subList(0, 1), 8);
                if (c.batches()) {
                    c.decodeTokensPerSecond(decodePrompts, 4);
                }
            }
            System.out.print("| case |");
            contenders.forEach(c -> System.out.print(" " + c.name() + " |"));
            System.out.println(" Spotlight ÷ others (per-round medians) |");
            System.out.println("|---".repeat(contenders.size() + 2) + "|");
            row("prefill, 128-token prompt (tokens/s)", contenders, rounds, (c, r) -> c.prefillTokensPerSecond(prompt128));
            row("prefill, 512-token prompt (tokens/s)", contenders, rounds, (c, r) -> c.prefillTokensPerSecond(prompt512));
            // the memory's speed moves (28-44 GB/s within minutes on this machine kind): each single-sequence
            // decode is set against the bandwidth measured just before and just after it
            Map<String, double[]> bytesPerSecond = new LinkedHashMap<>();
            contenders.forEach(c -> bytesPerSecond.put(c.name(), new double[rounds]));
            Map<String, double[]> decodeOne = row("decode, 1 sequence, " + (NEW_TOKENS - 1) + " steps after " + DECODE_PROMPT
                    + " tokens (tokens/s)", contenders, rounds, (c, r) -> {
                        double before = bandwidth.bestOf(3);
                        rest();
                        double tokensPerSecond = c.decodeTokensPerSecond(decodePrompts.subList(0, 1), NEW_TOKENS);
                        bytesPerSecond.get(c.name())[r] = Math.max(before, bandwidth.bestOf(3));
                        return tokensPerSecond;
                    });
            Map<String, double[]> decodeMany = row("decode, " + SEQUENCES + " sequences together (tokens/s, all sequences)",
                    contenders, rounds, (c, r) -> c.batches() ? c.decodeTokensPerSecond(decodePrompts, NEW_TOKENS) : Double.NaN);
            limits(contenders, decodeOne, decodeMany, storedBytes, elements, bytesPerSecond);
        } finally {
            contenders.forEach(Contender::close);
        }
    }

    /** One measurement of one engine in round r. */
    private interface Measure {
        double of(Contender c, int round);
    }

    /**
     * One table row: the engines alternate round by round, each measurement after a rest; returns the
     * rounds per engine.
     */
    private static Map<String, double[]> row(String what, List<Contender> contenders, int rounds, Measure measure) {
        Map<String, double[]> values = new LinkedHashMap<>();
        contenders.forEach(c -> values.put(c.name(), new double[rounds]));
        for (int r = 0; r < rounds; r++) {
            for (Contender c : contenders) {
                rest();
                values.get(c.name())[r] = measure.of(c, r);
            }
        }
        StringBuilder line = new StringBuilder("| " + what + " |");
        values.forEach((name, v) -> line.append(Double.isNaN(v[0]) ? " — |" : String.format(Locale.ROOT, " %.1f |",
                GenerateBenchmark.median(v))));
        StringBuilder ratios = new StringBuilder();
        double[] ours = values.get("Spotlight");
        values.forEach((name, v) -> {
            if (ours != null && !name.equals("Spotlight") && !Double.isNaN(v[0])) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = ours[r] / v[r];
                }
                Arrays.sort(ratio);
                ratios.append(String.format(Locale.ROOT, "%s%.2f× %s (%.2f–%.2f)", ratios.isEmpty() ? "" : "; ",
                        GenerateBenchmark.median(ratio), name, ratio[0], ratio[rounds - 1]));
            }
        });
        System.out.println(line + " " + ratios + " |");
        StringBuilder each = new StringBuilder("  rounds:");
        values.forEach((name, v) -> each.append(" ").append(name).append(" ").append(Arrays.toString(
                Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray())));
        System.err.println(each);  // stderr: the noise behind each median, outside the table
        return values;
    }

    /**
     * Decode against bytes of weights ÷ bandwidth, at the stored precision and at f32: each decode
     * against the higher of the two bandwidths measured around it, the median of those shares; and
     * the sequences-together speed-up as the median of each round's ratio.
     */
    private static void limits(List<Contender> contenders, Map<String, double[]> one, Map<String, double[]> many,
                               long storedBytes, long elements, Map<String, double[]> bytesPerSecond) {
        double[] all = bytesPerSecond.values().stream().flatMapToDouble(Arrays::stream).toArray();
        double bandwidth = GenerateBenchmark.median(all);
        System.out.printf(Locale.ROOT, "read bandwidth (MemoryBandwidth, %d threads, %d MB, the higher of the best of 3 passes"
                        + " just before and just after each single-sequence decode): median %.1f GB/s, per engine %s%n",
                THREADS, BANDWIDTH_BYTES >> 20, bandwidth / 1e9, rounded(bytesPerSecond, 1e9));
        System.out.printf(Locale.ROOT, "bandwidth limit at the median: %.1f tokens/s at the stored precision (%.1f MB/token),"
                + " %.1f at f32 (%.1f MB/token)%n", bandwidth / storedBytes, storedBytes / 1e6, bandwidth / (elements * 4.0),
                elements * 4 / 1e6);
        for (Contender c : contenders) {
            double[] rounds = one.get(c.name());
            double[] around = bytesPerSecond.get(c.name());
            double[] stored = new double[rounds.length];
            double[] f32 = new double[rounds.length];
            double[] speedUp = new double[rounds.length];
            for (int r = 0; r < rounds.length; r++) {
                stored[r] = rounds[r] * storedBytes / around[r];
                f32[r] = rounds[r] * elements * 4.0 / around[r];
                speedUp[r] = many.get(c.name())[r] / rounds[r];
            }
            String batched = c.batches() ? String.format(Locale.ROOT, "; %d sequences = %.2f× one (rounds %s)", SEQUENCES,
                    GenerateBenchmark.median(speedUp), Arrays.toString(Arrays.stream(speedUp)
                            .map(x -> Math.round(x * 100) / 100.0).toArray())) : "";
            System.out.printf(Locale.ROOT, "%s: decode = %.0f%% of the stored-precision limit, %.0f%% of the f32 limit"
                            + " (medians of the rounds' shares)%s%n", c.name(), 100 * GenerateBenchmark.median(stored),
                    100 * GenerateBenchmark.median(f32), batched);
        }
    }

    private static String rounded(Map<String, double[]> values, double unit) {
        StringBuilder out = new StringBuilder();
        values.forEach((name, v) -> out.append(out.isEmpty() ? "" : ", ").append(name).append(" ").append(Arrays.toString(
                Arrays.stream(v).map(x -> Math.round(x / unit * 10) / 10.0).toArray())));
        return out.toString();
    }

    /** The folder's export with last-position logits, made by the Python script the first time. */
    private static Path ensureOnnx(Path folder) throws IOException, InterruptedException {
        Path out = folder.resolve("onnx-last");
        Path model = out.resolve("model.onnx");
        Path done = out.resolve("complete");
        if (Files.isRegularFile(done)) {
            return model;
        }
        long start = System.nanoTime();
        Process p = new ProcessBuilder("/usr/bin/python3", EXPORT_SCRIPT.toString(), folder.toString(), out.toString(),
                "--logits", "last").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(EXPORT_SCRIPT + " failed for " + folder + " (exit " + p.exitValue() + ")");
        }
        Files.writeString(done, "exported by " + EXPORT_SCRIPT + " --logits last\n");
        System.err.printf(Locale.ROOT, "exported %s in %.1f s%n", model, (System.nanoTime() - start) / 1e9);
        return model;
    }

    /** The other engine's worker threads may spin for a moment after a call: let them stop first. */
    private static void rest() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("arguments: expected --name value pairs, got " + Arrays.toString(args));
            }
            out.put(args[i], args[++i]);
        }
        return out;
    }
}
