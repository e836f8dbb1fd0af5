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
            System.out.println("| case | ONNX Runtime | Spotlight | ratio |");
            System.out.println("|---|---|---|---|");
            // Each engine's worker threads spin for a moment after a call (both runtimes do): every
            // measurement starts after a pause, so the other engine's spinning never takes a core.
            row("corpus order, batches of 32 (real tokens/s)", rested(() -> EncodeBenchmark.tokensPerSecond(inOrder, 3, ort)),
                    rested(() -> EncodeBenchmark.tokensPerSecond(inOrder, 3, spotlight)), true);
            row("sorted by length, batches of 32 (tokens/s)", rested(() -> EncodeBenchmark.tokensPerSecond(sorted, 3, ort)),
                    rested(() -> EncodeBenchmark.tokensPerSecond(sorted, 3, spotlight)), true);
            row("fixed length 128, batch 32 (tokens/s)", rested(() -> EncodeBenchmark.tokensPerSecond(fixed, 5, ort)),
                    rested(() -> EncodeBenchmark.tokensPerSecond(fixed, 5, spotlight)), true);
            row("latency p50, 16 tokens (ms)", rested(() -> EncodeBenchmark.latencyMillis(short16, 200, ort)),
                    rested(() -> EncodeBenchmark.latencyMillis(short16, 200, spotlight)), false);
            row("latency p50, 128 tokens (ms)", rested(() -> EncodeBenchmark.latencyMillis(long128, 100, ort)),
                    rested(() -> EncodeBenchmark.latencyMillis(long128, 100, spotlight)), false);
        }
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

    private static void row(String name, double ort, double spotlight, boolean higherIsBetter) {
        double ratio = higherIsBetter ? spotlight / ort : spotlight / ort;
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× |%n", name, ort, spotlight, ratio);
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
