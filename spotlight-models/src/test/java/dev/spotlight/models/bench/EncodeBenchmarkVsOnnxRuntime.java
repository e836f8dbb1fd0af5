package dev.spotlight.models.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.hub.BuiltinModel;
import dev.spotlight.tensor.Parallel;
import dev.spotlight.tokenizers.Encoding;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Spotlight and ONNX Runtime side by side on the same ONNX export, the same batches, the same run,
 * two threads each. Test scope because ONNX Runtime is native code the product does not ship. Run:
 * <pre>./build -q install -DskipTests &amp;&amp; ./build -q -pl spotlight-models exec:exec@bench-encode</pre>
 * (optional argument: a built-in model name).
 */
public final class EncodeBenchmarkVsOnnxRuntime {
    private EncodeBenchmarkVsOnnxRuntime() {
    }

    public static void main(String[] args) throws Exception {
        BuiltinModel builtin = args.length > 0 ? BuiltinModel.named(args[0]).orElseThrow() : BuiltinModel.DEFAULT;
        Parallel.setThreads(2);
        try (EncoderModel model = Spotlight.load(builtin.id());
             OrtSession session = session(builtin)) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            boolean types = session.getInputNames().contains("token_type_ids");
            Consumer<List<Encoding>> spotlight = batch -> model.forward(batch, Capture.NONE);
            Consumer<List<Encoding>> ort = batch -> runOrt(env, session, batch, types);

            List<String> corpus = EncodeBenchmark.corpus();
            var inOrder = EncodeBenchmark.batches(model.tokenizer(), corpus, false);
            var sorted = EncodeBenchmark.batches(model.tokenizer(), corpus, true);
            var fixed = List.of(EncodeBenchmark.fixedLength(model.tokenizer(), 128, EncodeBenchmark.BATCH));
            var short16 = EncodeBenchmark.fixedLength(model.tokenizer(), 16, 1);
            var long128 = EncodeBenchmark.fixedLength(model.tokenizer(), 128, 1);

            System.out.println(builtin.id() + ", 2 threads; corpus: " + EncodeBenchmark.describeCorpus(inOrder));
            System.out.println("| case | ONNX Runtime | Spotlight | Spotlight / ORT (rounds: min–max) |");
            System.out.println("|---|---|---|---|");
            // The engines alternate, round by round, so a slow stretch of a shared machine hits both;
            // the table gives the medians. Each engine's worker threads spin for a moment after a
            // call (both runtimes do): every measurement starts after a pause, so the other
            // engine's spinning never takes a core.
            compare("corpus order, batches of 32 (real tokens/s)", 3, throughput(inOrder, ort), throughput(inOrder, spotlight));
            compare("sorted by length, batches of 32 (tokens/s)", 3, throughput(sorted, ort), throughput(sorted, spotlight));
            compare("fixed length 128, batch 32 (tokens/s)", 9, throughput(fixed, ort), throughput(fixed, spotlight));
            compare("latency p50, 16 tokens (ms)", 5, latency(short16, 60, ort), latency(short16, 60, spotlight));
            compare("latency p50, 128 tokens (ms)", 5, latency(long128, 30, ort), latency(long128, 30, spotlight));
        }
    }

    /** One timed pass over the batches per call, after one untimed pass on the first call. */
    private static DoubleSupplier throughput(List<List<Encoding>> batches, Consumer<List<Encoding>> engine) {
        long tokens = batches.stream().mapToLong(EncodeBenchmark::realTokens).sum();
        boolean[] warm = {false};
        return () -> {
            if (!warm[0]) {
                batches.forEach(engine);
                warm[0] = true;
            }
            long start = System.nanoTime();
            batches.forEach(engine);
            return tokens / ((System.nanoTime() - start) / 1e9);
        };
    }

    private static DoubleSupplier latency(List<Encoding> single, int runs, Consumer<List<Encoding>> engine) {
        return () -> EncodeBenchmark.latencyMillis(single, runs, engine);
    }

    /** Alternates the engines {@code rounds} times; prints the medians and the median per-round ratio. */
    private static void compare(String name, int rounds, DoubleSupplier ort, DoubleSupplier spotlight) {
        double[] o = new double[rounds];
        double[] s = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            o[r] = rested(ort);
            s[r] = rested(spotlight);
            ratio[r] = s[r] / o[r];
        }
        double[] sortedRatios = ratio.clone();
        Arrays.sort(sortedRatios);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× (%.2f–%.2f) |%n", name, EncodeBenchmark.median(o),
                EncodeBenchmark.median(s), EncodeBenchmark.median(ratio),
                sortedRatios[0], sortedRatios[rounds - 1]);
    }

    private static double rested(DoubleSupplier measurement) {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return measurement.getAsDouble();
    }

    private static OrtSession session(BuiltinModel builtin) throws Exception {
        try (InputStream in = EncodeBenchmarkVsOnnxRuntime.class.getClassLoader().getResourceAsStream(builtin.onnxResource());
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return OrtEnvironment.getEnvironment().createSession(in.readAllBytes(), options);
        }
    }

    /** ONNX Runtime takes the padded rectangle: it computes every padding position too. */
    private static void runOrt(OrtEnvironment env, OrtSession session, List<Encoding> batch, boolean types) {
        int rows = batch.size();
        int len = batch.getFirst().length();
        long[][] ids = new long[rows][len];
        long[][] mask = new long[rows][len];
        long[][] typeIds = new long[rows][len];
        for (int r = 0; r < rows; r++) {
            Encoding e = batch.get(r);
            for (int t = 0; t < len; t++) {
                ids[r][t] = e.ids()[t];
                mask[r][t] = e.attentionMask()[t];
                typeIds[r][t] = e.typeIds()[t];
            }
        }
        try (OnnxTensor a = OnnxTensor.createTensor(env, ids);
             OnnxTensor b = OnnxTensor.createTensor(env, mask);
             OnnxTensor c = OnnxTensor.createTensor(env, typeIds)) {
            Map<String, OnnxTensor> inputs = types ? Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c)
                    : Map.of("input_ids", a, "attention_mask", b);
            try (OrtSession.Result ignored = session.run(inputs)) {
                // the output is materialised by run(); nothing more to read
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
