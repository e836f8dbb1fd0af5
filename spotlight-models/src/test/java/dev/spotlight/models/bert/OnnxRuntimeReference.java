package dev.spotlight.models.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * ONNX Runtime running a built-in model's own ONNX export: the independent reference for the
 * encoder's outputs. Test scope only; the product never loads native code.
 */
final class OnnxRuntimeReference implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final boolean takesTokenTypes;

    OnnxRuntimeReference(String resource) {
        try (InputStream in = OnnxRuntimeReference.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            byte[] model = in.readAllBytes();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(2);
                session = env.createSession(model, options);
            }
            takesTokenTypes = session.getInputNames().contains("token_type_ids");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** last_hidden_state for one unpadded sequence, [len, hidden]. */
    float[] lastHidden(int[] ids, int[] typeIds) {
        int len = ids.length;
        long[][] inputIds = new long[1][len];
        long[][] mask = new long[1][len];
        long[][] types = new long[1][len];
        for (int t = 0; t < len; t++) {
            inputIds[0][t] = ids[t];
            mask[0][t] = 1;
            types[0][t] = typeIds[t];
        }
        try (OnnxTensor a = OnnxTensor.createTensor(env, inputIds);
             OnnxTensor b = OnnxTensor.createTensor(env, mask);
             OnnxTensor c = OnnxTensor.createTensor(env, types)) {
            Map<String, OnnxTensor> inputs = takesTokenTypes
                    ? Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c)
                    : Map.of("input_ids", a, "attention_mask", b);
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] out = (float[][][]) result.get(0).getValue();
                int hidden = out[0][0].length;
                float[] flat = new float[len * hidden];
                for (int t = 0; t < len; t++) {
                    System.arraycopy(out[0][t], 0, flat, t * hidden, hidden);
                }
                return flat;
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
