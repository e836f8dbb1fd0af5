package dev.spotlight.models.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime (Java, CPU) on the benchmark's ONNX export (spotlight-models/bench/export_decoder_onnx.py),
 * with its KV cache: each step feeds the previous step's present tensors back as the past, without
 * copying them out of ONNX Runtime. All sequences have the same length, so no padding is needed.
 */
final class OrtContender extends Contender.Stepwise {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private OrtSession.Result last;  // holds the present tensors the next step reads
    private int batch;
    private int length;

    OrtContender(Path onnx, int layers, int kvHeads, int headDim, int threads) {
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(onnx.toString(), options);
        } catch (OrtException e) {
            throw new IllegalStateException(onnx + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "ONNX Runtime";
    }

    @Override
    public boolean batches() {
        return true;
    }

    @Override
    int[] prefill(List<int[]> prompts) {
        release();
        batch = prompts.size();
        length = 0;
        int n = prompts.getFirst().length;
        long[] ids = new long[batch * n];
        for (int s = 0; s < batch; s++) {
            for (int t = 0; t < n; t++) {
                ids[s * n + t] = prompts.get(s)[t];
            }
        }
        return run(ids, n);
    }

    @Override
    int[] step(int[] tokens) {
        return run(Arrays.stream(tokens).asLongStream().toArray(), 1);
    }

    /** One call with {@code n} new tokens per sequence after {@code length} cached; the greedy next tokens. */
    private int[] run(long[] ids, int n) {
        long[] mask = new long[batch * (length + n)];
        Arrays.fill(mask, 1);
        long[] positions = new long[batch * n];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = length + i % n;
        }
        Map<String, OnnxTensor> owned = new HashMap<>();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            owned.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {batch, n}));
            owned.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {batch, length + n}));
            owned.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {batch, n}));
            for (int l = 0; l < layers; l++) {
                for (String kv : List.of("key", "value")) {
                    String past = "past_key_values." + l + "." + kv;
                    if (last == null) {
                        owned.put(past, OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                                new long[] {batch, kvHeads, 0, headDim}));
                    } else {
                        inputs.put(past, present(l, kv));
                    }
                }
            }
            inputs.putAll(owned);
            OrtSession.Result result = session.run(inputs);
            release();
            last = result;
            length += n;
            return greedy((OnnxTensor) result.get("logits").orElseThrow());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        } finally {
            owned.values().forEach(OnnxTensor::close);
        }
    }

    /** The last call's logits, [batch, rows, vocab] flattened: rows is its new tokens, or 1 for a last-position export. */
    float[] lastLogits() {
        try {
            return ((OnnxTensor) last.get("logits").orElseThrow()).getFloatBuffer().array();
        } catch (RuntimeException e) {
            throw new IllegalStateException("no ONNX Runtime call has run yet", e);
        }
    }

    private OnnxTensor present(int layer, String kv) {
        OnnxValue v = last.get("present." + layer + "." + kv).orElseThrow();
        return (OnnxTensor) v;
    }

    /** The argmax of each sequence's last row of logits [batch, rows, vocab]. */
    private int[] greedy(OnnxTensor logits) {
        long[] shape = logits.getInfo().getShape();
        int rows = (int) shape[1];
        int vocab = (int) shape[2];
        FloatBuffer all = logits.getFloatBuffer();
        float[] row = new float[vocab];
        int[] next = new int[batch];
        for (int s = 0; s < batch; s++) {
            all.get(((s + 1) * rows - 1) * vocab, row);
            next[s] = GenerateBenchmark.argmax(row);
        }
        return next;
    }

    private void release() {
        if (last != null) {
            last.close();
            last = null;
        }
    }

    @Override
    public void close() {
        release();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
