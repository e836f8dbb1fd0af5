package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.spotlight.models.Capture;
import dev.spotlight.tokenizers.Encoding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spotlight's task heads on ONNX exports (all-MiniLM-L6-v2 with heads appended as ONNX nodes) against
 * ONNX Runtime running the same files: every logit of every token within 1e-4, texts and pairs of
 * several lengths run as one batch by Spotlight and one by one by ONNX Runtime.
 */
class OnnxHeadsTest {
    private static final double TOLERANCE = 1e-4;
    private static final List<String> TEXTS = List.of("My name is Sarah Jones and I live in London.",
            "Hugging Face Inc. is a company based in New York City; its headquarters are in DUMBO.",
            "The capital of France is [MASK].", "Zoë Ångström met José in São Paulo — 🎉 — on 2024-05-01.", "Hi");

    @ParameterizedTest
    @ValueSource(strings = {"ner", "qa", "nli", "cross-encoder", "mlm"})
    void headLogitsMatchOnnxRuntimeOnTheSameFile(String name) throws OrtException {
        Path folder = TaskOracleModels.folder().resolve(name);
        try (TaskModel model = TaskModel.load(folder.toString());
             OrtEnvironment env = OrtEnvironment.getEnvironment();
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(folder.resolve("onnx/model.onnx").toString(), options)) {
                List<Encoding> encodings = TEXTS.stream().map(t -> name.equals("qa") || name.equals("nli") || name.equals("cross-encoder")
                        ? model.tokenizer().encode("Who lives in London?", t, model.options())
                        : model.tokenizer().encode(t, null, model.options())).toList();
                TaskModel.Run run = model.run(encodings, Capture.NONE);
                double max = 0;
                for (int s = 0; s < encodings.size(); s++) {
                    Map<String, float[][]> expected = ort(env, session, encodings.get(s));
                    int len = encodings.get(s).length();
                    switch (model.task()) {
                        case TOKEN_CLASSIFICATION, QUESTION_ANSWERING -> {
                            for (int t = 0; t < len; t++) {
                                float[] actual = run.logits(s, t);
                                if (model.task() == Task.QUESTION_ANSWERING) {
                                    max = Math.max(max, Math.abs(expected.get("start_logits")[0][t] - actual[0]));
                                    max = Math.max(max, Math.abs(expected.get("end_logits")[0][t] - actual[1]));
                                } else {
                                    max = Math.max(max, maxDiff(expected.get("logits")[t], actual));
                                }
                            }
                        }
                        case SEQUENCE_CLASSIFICATION -> max = Math.max(max, maxDiff(expected.get("logits")[0], run.logits(s, -1)));
                        case MASKED_LM -> {
                            for (int t = 0; t < len; t++) {
                                max = Math.max(max, maxDiff(expected.get("logits")[t], model.maskedLmLogits(run, s, t)));
                            }
                        }
                    }
                }
                assertTrue(max <= TOLERANCE, name + ": max |Δ| " + max + " > " + TOLERANCE);
                assertEquals(5, encodings.size());
            }
        }
    }

    static double maxDiff(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }

    /** The inputs the graph declares: RoBERTa and DistilBERT exports take no token_type_ids. */
    private static Map<String, OnnxTensor> inputs(OrtSession session, Map<String, OnnxTensor> all) {
        Map<String, OnnxTensor> out = new java.util.HashMap<>();
        session.getInputNames().forEach(name -> out.put(name, all.get(name)));
        return out;
    }

    /** Every float output of one unpadded sequence: [len][width] for token outputs, [1][width] or [1][len] otherwise. */
    static Map<String, float[][]> ort(OrtEnvironment env, OrtSession session, Encoding e) throws OrtException {
        int len = e.length();
        long[][] ids = new long[1][len];
        long[][] mask = new long[1][len];
        long[][] types = new long[1][len];
        for (int t = 0; t < len; t++) {
            ids[0][t] = e.id(t);
            mask[0][t] = 1;
            types[0][t] = e.typeIds()[t];
        }
        try (OnnxTensor a = OnnxTensor.createTensor(env, ids);
             OnnxTensor b = OnnxTensor.createTensor(env, mask);
             OnnxTensor c = OnnxTensor.createTensor(env, types);
             OrtSession.Result result = session.run(inputs(session, Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c)))) {
            java.util.Map<String, float[][]> out = new java.util.HashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> entry : result) {
                Object value = entry.getValue().getValue();
                if (value instanceof float[][][] three) {
                    out.put(entry.getKey(), three[0]);
                } else if (value instanceof float[][] two) {
                    out.put(entry.getKey(), two);
                }
            }
            return out;
        }
    }
}
