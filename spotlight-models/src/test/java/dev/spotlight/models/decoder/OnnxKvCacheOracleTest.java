package dev.spotlight.models.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime (test scope) running stories260K's own ONNX export with its KV cache, step by step
 * beside Spotlight's cache: the prefill and 40 decode steps give the same logits within 1e-4.
 */
class OnnxKvCacheOracleTest {
    private static final int LAYERS = 5;
    private static final int KV_HEADS = 4;
    private static final int HEAD_DIM = 8;

    @Test
    void prefillAndFortyDecodeStepsMatchOnnxRuntime() throws OrtException {
        Path dir = SharedModels.require("stories260K");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (CausalLM model = Spotlight.causalLM(dir.resolve("hf").toString());
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(dir.resolve("onnx/model.onnx").toString(), options);
                 KvCache.Slot slot = model.cache().open(64)) {
                int[] prompt = model.encode("Once upon a time, there was a little dog");
                float[][] past = new float[2 * LAYERS][0];  // [kvHeads, length, headDim] flattened, per key/value
                int[] feed = prompt;
                double worst = 0;
                for (int step = 0; step <= 40; step++) {
                    int cached = slot.length();
                    DecoderOutput ours = model.decoder().forward(DecoderBatch.continuing(List.of(feed), new int[] {cached}),
                            List.of(slot), Logits.LAST, false);
                    float[] theirs = run(env, session, feed, cached, past);
                    float[] mine = ours.last(0);
                    for (int j = 0; j < mine.length; j++) {
                        worst = Math.max(worst, Math.abs(mine[j] - theirs[j]));
                    }
                    int next = MakemoreNamesTest.argmax(mine);
                    assertEquals(MakemoreNamesTest.argmax(theirs), next, "step " + step);
                    feed = new int[] {next};
                }
                assertTrue(worst < 1e-4, "max |Δ| over prefill and 40 steps: " + worst);
            }
        }
    }

    /** One ORT call: new ids after {@code cached} positions; updates {@code past} with the present tensors. */
    private static float[] run(OrtEnvironment env, OrtSession session, int[] ids, int cached, float[][] past)
            throws OrtException {
        int n = ids.length;
        long[] idData = new long[n];
        long[] positions = new long[n];
        for (int t = 0; t < n; t++) {
            idData[t] = ids[t];
            positions[t] = cached + t;
        }
        long[] mask = new long[cached + n];
        java.util.Arrays.fill(mask, 1);
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(idData), new long[] {1, n}));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, cached + n}));
            inputs.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {1, n}));
            for (int l = 0; l < LAYERS; l++) {
                long[] shape = {1, KV_HEADS, cached, HEAD_DIM};
                inputs.put("past_key_values." + l + ".key", OnnxTensor.createTensor(env, FloatBuffer.wrap(past[2 * l]), shape));
                inputs.put("past_key_values." + l + ".value", OnnxTensor.createTensor(env, FloatBuffer.wrap(past[2 * l + 1]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                for (int l = 0; l < LAYERS; l++) {
                    past[2 * l] = ((OnnxTensor) result.get("present." + l + ".key").orElseThrow()).getFloatBuffer().array();
                    past[2 * l + 1] = ((OnnxTensor) result.get("present." + l + ".value").orElseThrow()).getFloatBuffer().array();
                }
                float[][][] logits = (float[][][]) result.get("logits").orElseThrow().getValue();
                return logits[0][n - 1];
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }
}
