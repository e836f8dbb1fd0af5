package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.weights.OnnxWeights;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RoBERTa and DistilBERT task models exported to ONNX the way Hugging Face's exporters do it
 * (goldens/tasks/onnx_exports.py: torch.onnx.export of the transformers module tree, optimum's input
 * and output names, its deduplication of the tied masked-LM decoder), every head of both families:
 * Spotlight's logits on the export within 1e-4 of ONNX Runtime on the same file, and the same
 * checkpoint read as a safetensors folder giving the same logits and the same pipeline answers.
 * The bare encoders, exported as optimum's feature-extraction, give ONNX Runtime's hidden states, and
 * without their config.json are refused rather than read as BERT. The safetensors checkpoints are those
 * {@code bert.TorchReferenceTest} proves against torchtext and PyTorch; the export script checked its
 * modules against the same references before exporting.
 */
class OnnxExportsTest {
    private static final double TOLERANCE = 1e-4;
    private static final List<String> FAMILIES = List.of("roberta", "distilbert");
    private static final List<String> HEADS = List.of("token-classification", "sequence-classification", "question-answering",
            "masked-lm");
    /** The safetensors checkpoint each family's exports were made from. */
    private static final Map<String, String> CHECKPOINT = Map.of("roberta", "roberta_into_torchtext", "distilbert", "distilbert");
    private static final List<String> TEXTS = List.of("john smith lives in new york", "the cat sat on the mat .",
            "mic ro soft works at the big red city , it was green ?", "zzz is the capital of france", "a");
    private static final String QUESTION = "who lives in paris ?";

    @TempDir
    static Path dir;

    static Stream<String> exports() {
        return FAMILIES.stream().flatMap(f -> HEADS.stream().map(h -> f + "-" + h));
    }

    @ParameterizedTest
    @MethodSource("exports")
    void headLogitsMatchOnnxRuntimeAndTheSafetensorsCheckpoint(String name) throws Exception {
        Path export = folder(name);
        try (TaskModel onnx = TaskModel.load(export.toString());
             TaskModel safetensors = TaskModel.load(safetensorsTwin(name).toString());
             OrtEnvironment env = OrtEnvironment.getEnvironment();
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(export.resolve("model.onnx").toString(), options)) {
                assertEquals(java.util.Set.of("input_ids", "attention_mask"), session.getInputNames(), "optimum's inputs");
                List<Encoding> encodings = inputs(onnx, name);
                TaskModel.Run fromOnnx = onnx.run(encodings, Capture.NONE);
                TaskModel.Run fromSafetensors = safetensors.run(encodings, Capture.NONE);
                double toOrt = 0;
                double toTwin = 0;
                for (int s = 0; s < encodings.size(); s++) {
                    Map<String, float[][]> expected = OnnxHeadsTest.ort(env, session, encodings.get(s));
                    for (int t = onnx.task() == Task.SEQUENCE_CLASSIFICATION ? -1 : 0;
                         t < (onnx.task() == Task.SEQUENCE_CLASSIFICATION ? 0 : encodings.get(s).length()); t++) {
                        float[] a = logits(onnx, fromOnnx, s, t);
                        float[] b = logits(safetensors, fromSafetensors, s, t);
                        toOrt = Math.max(toOrt, OnnxHeadsTest.maxDiff(ortLogits(onnx.task(), expected, t), a));
                        toTwin = Math.max(toTwin, OnnxHeadsTest.maxDiff(a, b));
                    }
                }
                assertTrue(toOrt <= TOLERANCE, name + ": Spotlight against ONNX Runtime, max |Δ| " + toOrt);
                assertTrue(toTwin <= TOLERANCE, name + ": ONNX against safetensors, max |Δ| " + toTwin);
            }
        }
    }

    static Stream<String> everyExport() {
        return Stream.concat(exports(), FAMILIES.stream().map(f -> f + "-feature-extraction"));
    }

    @ParameterizedTest
    @MethodSource("everyExport")
    void everyEncoderTensorOfTheExportGetsItsHuggingFaceNameAndValues(String name) throws Exception {
        String family = name.substring(0, name.indexOf('-'));
        // a bare encoder's export names its tensors without the task model's "roberta." / "distilbert."
        String root = name.endsWith("feature-extraction") ? "" : family + ".";
        try (Weights onnx = OnnxWeights.open(folder(name).resolve("model.onnx"));
             Weights checkpoint = Safetensors.open(safetensorsTwin(name))) {
            int compared = 0;
            for (String tensor : checkpoint.names()) {
                if (!tensor.startsWith(family + ".")) {
                    continue;
                }
                String exported = root + tensor.substring(family.length() + 1);
                assertTrue(onnx.contains(exported), name + ": the export has no tensor named " + exported);
                assertArrayEquals(checkpoint.shape(tensor), onnx.shape(exported), tensor);
                assertArrayEquals(checkpoint.floats(tensor, checkpoint.shape(tensor)), onnx.floats(exported, onnx.shape(exported)),
                        tensor);
                compared++;
            }
            assertTrue(compared >= 20, name + ": only " + compared + " encoder tensors");
            if (name.endsWith("masked-lm")) {
                // optimum keeps the embeddings for the Gather and feeds the decoder their Transpose: no decoder matrix of its own
                assertFalse(onnx.names().stream().anyMatch(n -> n.startsWith("lm_head.decoder.weight") || n.equals("vocab_projector.weight")),
                        onnx.names().toString());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("exports")
    void thePipelineAnswersTheSameFromTheExportAndFromSafetensors(String name) throws Exception {
        try (TaskModel onnx = TaskModel.load(folder(name).toString());
             TaskModel safetensors = TaskModel.load(safetensorsTwin(name).toString())) {
            List<String> a = answers(onnx);
            List<String> b = answers(safetensors);
            assertFalse(a.isEmpty());
            assertEquals(a, b);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"roberta", "distilbert"})
    void aBareEncoderExportWithItsConfigGivesOnnxRuntimesHiddenStates(String family) throws Exception {
        Path export = folder(family + "-feature-extraction");
        try (EncoderModel model = EncoderModel.from(ModelResolver.folder(export));
             OrtEnvironment env = OrtEnvironment.getEnvironment();
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(export.resolve("model.onnx").toString(), options)) {
                List<Encoding> encodings = TEXTS.stream().map(t -> model.tokenizer().encode(t, null, model.options())).toList();
                EncoderOutput output = model.forward(Padding.batchLongest().apply(encodings), Capture.NONE);
                int hidden = model.config().hiddenSize();
                double max = 0;
                for (int s = 0; s < encodings.size(); s++) {
                    float[][] expected = OnnxHeadsTest.ort(env, session, encodings.get(s)).get("last_hidden_state");
                    int first = output.batch().cuSeqLens()[s];
                    assertEquals(expected.length, output.batch().length(s));
                    for (int t = 0; t < expected.length; t++) {
                        float[] row = java.util.Arrays.copyOfRange(output.lastHidden(), (first + t) * hidden, (first + t + 1) * hidden);
                        max = Math.max(max, OnnxHeadsTest.maxDiff(expected[t], row));
                    }
                }
                assertTrue(max <= TOLERANCE, family + ": hidden states against ONNX Runtime, max |Δ| " + max);
            }
        }
    }

    @Test
    void anExportWithoutConfigJsonIsRefusedWhenItsFamilyIsNotBertsInOneLine() throws Exception {
        Map<String, String> expected = Map.of(
                "roberta", "the graph numbers positions from the input ids (a CumSum in the embeddings, as RoBERTa and XLM-R do),"
                        + " which needs pad_token_id from config.json: put the model's config.json next to it",
                "distilbert", "a DistilBERT export (transformer.layer.N.* tensors) and no config.json: put the model's config.json"
                        + " next to it");
        for (String family : FAMILIES) {
            Path bare = dir.resolve("bare-" + family);
            Files.createDirectories(bare);
            for (String file : List.of("model.onnx", "tokenizer.json")) {
                Files.copy(folder(family + "-feature-extraction").resolve(file), bare.resolve(file));
            }
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelResolver.folder(bare).close());
            assertEquals(bare.resolve("model.onnx") + ": " + expected.get(family), e.getMessage());
        }
    }

    /** Every answer of the head's pipeline, scores to 6 decimals. */
    private static List<String> answers(TaskModel model) {
        List<String> out = new ArrayList<>();
        String mask = model.settings().maskToken();
        switch (model.task()) {
            case TOKEN_CLASSIFICATION -> {
                for (TokenClassification.Aggregation a : TokenClassification.Aggregation.values()) {
                    for (String text : TEXTS) {
                        new TokenClassification(model).classify(text, new TokenClassification.Options(a, List.of()))
                                .forEach(e -> out.add(e.label() + " " + e.word() + " " + e.start() + "-" + e.end() + " " + round(e.score())));
                    }
                }
            }
            case SEQUENCE_CLASSIFICATION -> {
                for (String text : TEXTS) {
                    new TextClassification(model).classify(text, new TextClassification.Options(TextClassification.Function.DEFAULT, null))
                            .forEach(l -> out.add(l.label() + " " + round(l.score())));
                }
            }
            case QUESTION_ANSWERING -> {
                for (String context : TEXTS) {
                    new QuestionAnswering(model).answer(QUESTION, context, QuestionAnswering.Options.DEFAULTS.withTopK(3))
                            .forEach(x -> out.add(x.answer() + " " + x.start() + "-" + x.end() + " " + round(x.score())));
                }
            }
            case MASKED_LM -> {
                for (String text : List.of("the cat " + mask + " on the mat .", mask + " lives in " + mask)) {
                    new FillMask(model).fill(text, FillMask.Options.DEFAULTS, Capture.NONE).masks()
                            .forEach(m -> m.forEach(f -> out.add(f.tokenStr() + " " + f.sequence() + " " + round(f.score()))));
                }
            }
        }
        return out;
    }

    private static String round(double score) {
        return String.format(java.util.Locale.ROOT, "%.6f", score);
    }

    private static List<Encoding> inputs(TaskModel model, String name) {
        List<Encoding> out = new ArrayList<>();
        String mask = model.settings().maskToken();
        for (String text : TEXTS) {
            out.add(switch (model.task()) {
                case QUESTION_ANSWERING, SEQUENCE_CLASSIFICATION -> model.tokenizer().encode(QUESTION, text, model.options());
                case MASKED_LM -> model.tokenizer().encode(text + " " + mask, null, model.options());
                case TOKEN_CLASSIFICATION -> model.tokenizer().encode(text, null, model.options());
            });
        }
        assertTrue(out.stream().mapToInt(Encoding::length).max().orElseThrow() > out.getLast().length(), name);
        return out;
    }

    private static float[] logits(TaskModel model, TaskModel.Run run, int sequence, int token) {
        return model.task() == Task.MASKED_LM ? model.maskedLmLogits(run, sequence, token) : run.logits(sequence, token);
    }

    private static float[] ortLogits(Task task, Map<String, float[][]> out, int token) {
        return switch (task) {
            case QUESTION_ANSWERING -> new float[] {out.get("start_logits")[0][token], out.get("end_logits")[0][token]};
            case SEQUENCE_CLASSIFICATION -> out.get("logits")[0];
            case TOKEN_CLASSIFICATION, MASKED_LM -> out.get("logits")[token];
        };
    }

    /** The export's folder beside the checkpoint it was made from: the same config and tokenizer, model.safetensors. */
    private static synchronized Path safetensorsTwin(String name) throws IOException, URISyntaxException {
        Path twin = dir.resolve(name);
        if (!Files.isDirectory(twin)) {
            Files.createDirectories(twin);
            Path export = folder(name);
            for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
                Files.copy(export.resolve(file), twin.resolve(file));
            }
            String family = name.substring(0, name.indexOf('-'));
            Path checkpoint = Path.of(OnnxExportsTest.class.getResource("/goldens/tasks/encoders/" + CHECKPOINT.get(family)
                    + "/model.safetensors").toURI());
            Files.copy(checkpoint, twin.resolve("model.safetensors"));
        }
        return twin;
    }

    private static Path folder(String name) throws URISyntaxException {
        return Path.of(OnnxExportsTest.class.getResource("/goldens/tasks/onnx/" + name + "/config.json").toURI()).getParent();
    }
}
