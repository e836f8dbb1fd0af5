package dev.spotlight.models.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.PackedBatch;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.models.weights.Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The forward pass of each family on small random checkpoints, against a direct double-precision computation. */
class BertEncoderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bert", "roberta", "xlm-roberta", "distilbert"})
    void forwardMatchesDirectComputationForEveryFamily(String modelType) {
        TinyCheckpoint tiny = new TinyCheckpoint(modelType, 42);
        BertEncoder encoder = load(tiny, tiny.tensors());
        int[][] sequences = {{2, 5, 7, 3}, {2, 9}, {2, 11, 4, 4, 8, 13, 3}};
        EncoderOutput output = encoder.forward(PackedBatch.ofIds(List.of(sequences)), Capture.ATTENTIONS);
        for (int s = 0; s < sequences.length; s++) {
            double[][] expected = tiny.reference(sequences[s], new int[sequences[s].length]);
            float[] actual = output.sequence(s);
            for (int t = 0; t < expected.length; t++) {
                for (int d = 0; d < TinyCheckpoint.HIDDEN; d++) {
                    assertEquals(expected[t][d], actual[t * TinyCheckpoint.HIDDEN + d], 2e-5,
                            modelType + " sequence " + s + " token " + t + " dim " + d);
                }
            }
            for (int layer = 0; layer < TinyCheckpoint.LAYERS; layer++) {
                EncoderParityTest.assertRowsAreDistributions(output.attention(layer, s), TinyCheckpoint.HEADS,
                        sequences[s].length, modelType + " layer " + layer);
            }
        }
    }

    @Test
    void valueVectorsAreEachHeadsValueThroughItsSliceOfTheOutputMatrix() {
        TinyCheckpoint tiny = new TinyCheckpoint("bert", 7);
        BertEncoder encoder = load(tiny, tiny.tensors());
        int[] ids = {2, 5, 7};
        EncoderOutput output = encoder.forward(PackedBatch.ofIds(List.of(ids)), new Capture(true, true, true));
        // Layer 0's input is the embeddings output (hidden state 0): recompute v and f_h directly.
        float[] x = output.hiddenStates().get(0);
        float[] wv = tiny.values.get("encoder.layer.0.attention.self.value.weight");
        float[] bv = tiny.values.get("encoder.layer.0.attention.self.value.bias");
        float[] wo = tiny.values.get("encoder.layer.0.attention.output.dense.weight");
        int hidden = TinyCheckpoint.HIDDEN;
        int headDim = hidden / TinyCheckpoint.HEADS;
        float[] f = output.valueVectors()[0][0];
        for (int h = 0; h < TinyCheckpoint.HEADS; h++) {
            for (int j = 0; j < ids.length; j++) {
                for (int o = 0; o < hidden; o++) {
                    double sum = 0;
                    for (int d = h * headDim; d < (h + 1) * headDim; d++) {
                        double v = bv[d];
                        for (int i = 0; i < hidden; i++) {
                            v += (double) x[j * hidden + i] * wv[d * hidden + i];
                        }
                        sum += v * wo[o * hidden + d];
                    }
                    assertEquals(sum, f[(h * ids.length + j) * hidden + o], 1e-4, "head " + h + " token " + j);
                }
            }
        }
        assertEquals(TinyCheckpoint.LAYERS + 1, output.hiddenStates().size());
    }

    @Test
    void missingTensorIsNamedWithTheFile() {
        TinyCheckpoint tiny = new TinyCheckpoint("bert", 1);
        Map<String, TensorData> tensors = tiny.tensors();
        tensors.remove("encoder.layer.1.intermediate.dense.bias");
        var e = assertThrows(ModelFormatException.class, () -> load(tiny, tensors));
        assertTrue(e.getMessage().contains("encoder.layer.1.intermediate.dense.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void shapeDisagreeingWithConfigNamesBothShapes() {
        TinyCheckpoint tiny = new TinyCheckpoint("bert", 1);
        ModelConfig wider = new ModelConfig("bert", TinyCheckpoint.VOCAB, TinyCheckpoint.HIDDEN, TinyCheckpoint.LAYERS,
                TinyCheckpoint.HEADS, TinyCheckpoint.INNER * 2, "gelu", 1e-12, TinyCheckpoint.POSITIONS, 2, 1, "absolute",
                List.of(), Map.of());
        Path file = write(tiny.tensors());
        try (Weights weights = Safetensors.open(file)) {
            var e = assertThrows(ModelFormatException.class, () -> BertEncoder.load(wider, weights));
            assertTrue(e.getMessage().contains("encoder.layer.0.intermediate.dense.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("32") && e.getMessage().contains("16"), e.getMessage());
        }
    }

    @Test
    void moreLayersThanConfigSaysIsAnError() {
        TinyCheckpoint tiny = new TinyCheckpoint("bert", 1);
        ModelConfig fewer = new ModelConfig("bert", TinyCheckpoint.VOCAB, TinyCheckpoint.HIDDEN, 1, TinyCheckpoint.HEADS,
                TinyCheckpoint.INNER, "gelu", 1e-12, TinyCheckpoint.POSITIONS, 2, 1, "absolute", List.of(), Map.of());
        try (Weights weights = Safetensors.open(write(tiny.tensors()))) {
            var e = assertThrows(ModelFormatException.class, () -> BertEncoder.load(fewer, weights));
            assertTrue(e.getMessage().contains("num_hidden_layers 1"), e.getMessage());
        }
    }

    @Test
    void moreLayersInConfigThanInTheWeightsNamesBothBeforeLoading() {
        TinyCheckpoint tiny = new TinyCheckpoint("bert", 1);
        ModelConfig deeper = new ModelConfig("bert", TinyCheckpoint.VOCAB, TinyCheckpoint.HIDDEN, ModelConfig.MAX_LAYERS,
                TinyCheckpoint.HEADS, TinyCheckpoint.INNER, "gelu", 1e-12, TinyCheckpoint.POSITIONS, 2, 1, "absolute", List.of(), Map.of());
        try (Weights weights = Safetensors.open(write(tiny.tensors()))) {
            var e = assertThrows(ModelFormatException.class, () -> BertEncoder.load(deeper, weights));
            assertTrue(e.getMessage().endsWith(": config.json says num_hidden_layers 4096, but the weights hold 2 layer(s) (tensor"
                    + " encoder.layer.4095.attention.self.query.weight is missing)"), e.getMessage());
        }
    }

    @Test
    void aNanOrInfiniteWeightIsRefusedNamingTheTensorAndElement() {
        for (float bad : new float[] {Float.NaN, Float.NEGATIVE_INFINITY}) {
            TinyCheckpoint tiny = new TinyCheckpoint("bert", 1);
            String name = "encoder.layer.1.attention.self.key.weight";
            tiny.values.get(name)[5] = bad;
            try (Weights weights = Safetensors.open(write(tiny.tensors()))) {
                var e = assertThrows(ModelFormatException.class, () -> BertEncoder.load(tiny.config, weights));
                assertTrue(e.getMessage().endsWith(": tensor " + name + " holds " + bad + " at element 5 of 64: the weights are"
                        + " damaged (every output computed with it would be NaN)"), e.getMessage());
            }
        }
    }

    /**
     * The run-time half of the rule above: finite weights that drive an activation out of float32's range
     * (layer 0's attention LayerNorm scaling by Float.MAX_VALUE) stop the pass, naming the layer and the
     * token, instead of returning NaN hidden states and embeddings.
     */
    @Test
    void activationsThatLeaveFloatRangeStopThePassNamingLayerAndToken() {
        TinyCheckpoint tiny = new TinyCheckpoint("bert", 3);
        java.util.Arrays.fill(tiny.values.get("encoder.layer.0.attention.output.LayerNorm.weight"), Float.MAX_VALUE);
        BertEncoder encoder = load(tiny, tiny.tensors());
        var e = assertThrows(dev.spotlight.models.ModelException.class,
                () -> encoder.forward(PackedBatch.ofIds(List.of(new int[] {2, 5}, new int[] {2, 9, 3})), Capture.NONE));
        assertTrue(e.getMessage().contains(": layer 0's output is "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at sequence 0, token 0: the activations left float32's range although every"
                + " weight is finite (weights too large for this input), so every output after this point would be NaN or"
                + " meaningless"), e.getMessage());
    }

    @Test
    void unsupportedModelTypeIsNamed() {
        TinyCheckpoint tiny = new TinyCheckpoint("bert", 1);
        ModelConfig gpt = new ModelConfig("gpt2", TinyCheckpoint.VOCAB, TinyCheckpoint.HIDDEN, TinyCheckpoint.LAYERS,
                TinyCheckpoint.HEADS, TinyCheckpoint.INNER, "gelu", 1e-12, TinyCheckpoint.POSITIONS, 2, 1, "absolute",
                List.of(), Map.of());
        try (Weights weights = Safetensors.open(write(tiny.tensors()))) {
            var e = assertThrows(ModelFormatException.class, () -> BertEncoder.load(gpt, weights));
            assertTrue(e.getMessage().contains("model_type \"gpt2\" is not supported"), e.getMessage());
        }
    }

    @Test
    void sequenceLongerThanThePositionTableAsksForTruncation() {
        TinyCheckpoint tiny = new TinyCheckpoint("roberta", 1);
        BertEncoder encoder = load(tiny, tiny.tensors());
        int[] tooLong = new int[TinyCheckpoint.POSITIONS];
        var e = assertThrows(IllegalArgumentException.class,
                () -> encoder.forward(PackedBatch.ofIds(List.of(new int[] {2}, tooLong)), Capture.NONE));
        assertEquals("sequence 1 has 40 tokens but the model takes at most 38: truncate it (max_length 38)", e.getMessage());
    }

    @Test
    void tokenIdOutsideTheVocabularyIsRejected() {
        TinyCheckpoint tiny = new TinyCheckpoint("bert", 1);
        BertEncoder encoder = load(tiny, tiny.tensors());
        var e = assertThrows(IllegalArgumentException.class,
                () -> encoder.forward(PackedBatch.ofIds(List.of(new int[] {2, 99})), Capture.NONE));
        assertTrue(e.getMessage().startsWith("token id 99 is outside the vocabulary of 23"), e.getMessage());
    }

    private BertEncoder load(TinyCheckpoint tiny, Map<String, TensorData> tensors) {
        try (Weights weights = Safetensors.open(write(tensors))) {
            return BertEncoder.load(tiny.config, weights);
        }
    }

    private Path write(Map<String, TensorData> tensors) {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, tensors, Map.of());
        return file;
    }
}
