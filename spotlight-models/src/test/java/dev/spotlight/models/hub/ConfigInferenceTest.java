package dev.spotlight.models.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.weights.OnnxWeights;
import dev.spotlight.models.weights.ProtoWriter;
import org.junit.jupiter.api.Test;

/** An ONNX export whose initializers do not fit the roles config inference reads them for (found by fuzzing). */
class ConfigInferenceTest {

    /** A float initializer (ONNX TensorProto: 1 dims, 2 data_type FLOAT, 8 name, 9 raw_data) of zeros. */
    private static ProtoWriter tensor(String name, long... dims) {
        ProtoWriter t = new ProtoWriter();
        long n = 1;
        for (long d : dims) {
            t.varint(1, d);
            n *= d;
        }
        return t.varint(2, 1).string(8, name).bytes(9, new byte[(int) (4 * n)]);
    }

    private static String error(ProtoWriter... initializers) {
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter t : initializers) {
            graph.message(5, t);
        }
        byte[] model = new ProtoWriter().varint(1, 7).message(7, graph).toByteArray();
        try (OnnxWeights w = OnnxWeights.read(model, "t.onnx")) {
            return assertThrows(ModelFormatException.class, () -> ConfigInference.bert(w)).getMessage();
        }
    }

    @Test
    void anEmbeddingWithOneDimensionNamesTheTensorAndItsShape() {
        assertEquals("t.onnx: tensor embeddings.word_embeddings.weight has shape [6], expected 2 positive dimensions",
                error(tensor("embeddings.word_embeddings.weight", 6), tensor("embeddings.position_embeddings.weight", 4, 2),
                        tensor("encoder.layer.0.intermediate.dense.weight", 3, 2)));
    }

    @Test
    void aLayerNumberBeyondAnIntOrAnyModelIsNamed() {
        ProtoWriter[] base = {tensor("embeddings.word_embeddings.weight", 4, 2), tensor("embeddings.position_embeddings.weight", 4, 2),
                tensor("encoder.layer.0.intermediate.dense.weight", 3, 2)};
        for (String layer : new String[] {"99999999999", "4096"}) {
            assertEquals("t.onnx: tensor encoder.layer." + layer + ".output.dense.bias has layer number " + layer
                    + ", expected at most 4095", error(base[0], base[1], base[2], tensor("encoder.layer." + layer + ".output.dense.bias", 2)));
        }
    }
}
