package dev.spotlight.models.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.PackedBatch;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Encoders and task heads of every family against references that share no code with Spotlight
 * (goldens/tasks/encoders_torch.py): RoBERTa and XLM-R in torchtext 0.14's RobertaModel with weights
 * mapped both ways (torchtext's own initialisation renamed to Hugging Face names, and a random Hugging
 * Face checkpoint loaded into torchtext, its token type row folded into the positions), its
 * RobertaClassificationHead for the sequence head; BERT and DistilBERT in PyTorch's
 * nn.TransformerEncoderLayer. References in float64, tolerance 1e-4 on every value.
 */
class TorchReferenceTest {
    private static final double TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<String> variants() throws IOException {
        List<String> names = new ArrayList<>();
        resource("index.json").get("variants").forEach(v -> names.add(v.asText()));
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void hiddenStatesAndEveryHeadMatchTheReference(String variant) throws Exception {
        JsonNode golden = resource(variant + ".json");
        Path folder = folder(variant);
        ModelConfig config = ModelConfig.read(folder.resolve("config.json"));
        try (Weights weights = Safetensors.open(folder)) {
            BertEncoder encoder = BertEncoder.load(config, weights);
            int labels = 3;
            TokenHead tokens = BertHeads.tokenClassifier(config, weights, labels, "test");
            TokenHead spans = BertHeads.questionAnswering(config, weights, "test");
            MaskedLmHead mlm = BertHeads.maskedLm(config, weights, true, "test");
            SequenceHead sequence = BertHeads.sequenceClassifier(config, weights, labels, "test");
            List<JsonNode> rows = new ArrayList<>();
            golden.get("sequences").forEach(rows::add);
            EncoderOutput output = encoder.forward(batch(rows), Capture.NONE);
            float[] tokenLogits = tokens.apply(output);
            float[] spanLogits = spans.apply(output);
            float[] sequenceLogits = sequence.apply(output);
            for (int s = 0; s < rows.size(); s++) {
                JsonNode row = rows.get(s);
                int first = output.batch().cuSeqLens()[s];
                int len = output.batch().length(s);
                String where = variant + " sequence " + s;
                assertClose(row.get("last_hidden"), output.lastHidden(), first, len, config.hiddenSize(), where + " hidden");
                assertClose(row.get("token_logits"), tokenLogits, first, len, labels, where + " token logits");
                assertClose(row.get("qa_logits"), spanLogits, first, len, 2, where + " qa logits");
                JsonNode expected = row.get("sequence_logits");
                for (int c = 0; c < labels; c++) {
                    assertEquals(expected.get(c).asDouble(), sequenceLogits[s * labels + c], TOLERANCE, where + " class " + c);
                }
                int[] all = new int[len];
                for (int t = 0; t < len; t++) {
                    all[t] = first + t;
                }
                assertClose(row.get("mlm_logits"), mlm.apply(output, all), 0, len, config.vocabSize(), where + " mlm logits");
            }
        }
    }

    @Test
    void relativePositionEmbeddingsAreRefusedInOneLine() throws Exception {
        Path folder = folder("bert");
        for (String type : List.of("relative_key", "relative_key_query")) {
            ModelConfig config = ModelConfig.read(folder.resolve("config.json"));
            ModelConfig relative = new ModelConfig(config.modelType(), config.vocabSize(), config.hiddenSize(),
                    config.numHiddenLayers(), config.numAttentionHeads(), config.intermediateSize(), config.hiddenAct(),
                    config.layerNormEps(), config.maxPositionEmbeddings(), config.typeVocabSize(), config.padTokenId(), type,
                    config.architectures(), config.id2label());
            try (Weights weights = Safetensors.open(folder)) {
                ModelFormatException e = assertThrows(ModelFormatException.class, () -> BertEncoder.load(relative, weights));
                assertTrue(e.getMessage().contains("position_embedding_type \"" + type + "\" is not supported"), e.getMessage());
                assertEquals(1, e.getMessage().lines().count());
            }
        }
    }

    private static PackedBatch batch(List<JsonNode> rows) {
        int total = rows.stream().mapToInt(r -> r.get("ids").size()).sum();
        int[] ids = new int[total];
        int[] types = new int[total];
        int[] index = new int[total];
        int[] cu = new int[rows.size() + 1];
        int row = 0;
        int longest = 0;
        for (int s = 0; s < rows.size(); s++) {
            JsonNode r = rows.get(s);
            for (int t = 0; t < r.get("ids").size(); t++) {
                ids[row] = r.get("ids").get(t).asInt();
                types[row] = r.get("type_ids").get(t).asInt();
                index[row] = t;
                row++;
            }
            cu[s + 1] = row;
            longest = Math.max(longest, r.get("ids").size());
        }
        return new PackedBatch(ids, types, index, index.clone(), cu, longest);
    }

    /** expected [len][width] against actual rows first .. first+len of a [rows, width] array. */
    private static void assertClose(JsonNode expected, float[] actual, int first, int len, int width, String where) {
        assertEquals(len, expected.size(), where);
        double max = 0;
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < width; d++) {
                max = Math.max(max, Math.abs(expected.get(t).get(d).asDouble() - actual[(first + t) * width + d]));
            }
        }
        assertTrue(max <= TOLERANCE, where + ": max |Δ| " + max + " > " + TOLERANCE);
    }

    static Path folder(String variant) throws URISyntaxException {
        return Path.of(TorchReferenceTest.class.getResource("/goldens/tasks/encoders/" + variant + "/config.json").toURI()).getParent();
    }

    private static JsonNode resource(String file) throws IOException {
        try (InputStream in = TorchReferenceTest.class.getResourceAsStream("/goldens/tasks/encoders/" + file)) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
