package dev.spotlight.models.hub;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.OnnxWeights;
import dev.spotlight.models.weights.Weights;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config.json an ONNX export lacks, rebuilt from what it does hold: sizes from the weight
 * shapes, heads / LayerNorm eps / activation from the graph constants (see {@link OnnxWeights}).
 * Anything not recoverable keeps transformers' BertConfig default.
 */
final class ConfigInference {
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private ConfigInference() {
    }

    static ModelConfig bert(OnnxWeights w) {
        long[] words = w.shape("embeddings.word_embeddings.weight");       // [vocab, hidden]
        long[] positions = w.shape("embeddings.position_embeddings.weight"); // [maxPositions, hidden]
        long[] intermediate = w.shape("encoder.layer.0.intermediate.dense.weight"); // [intermediate, hidden]
        int typeVocab = w.contains("embeddings.token_type_embeddings.weight")
                ? (int) w.shape("embeddings.token_type_embeddings.weight")[0] : 0;
        int heads = w.attentionHeads().orElseThrow(() -> new ModelFormatException(w.source()
                + ": cannot infer num_attention_heads from the graph (no attention Reshape or √headDim constant found);"
                + " put a config.json next to the model"));
        ModelConfig config = ModelConfig.bert((int) words[0], (int) words[1], layers(w), heads, (int) intermediate[0],
                (int) positions[0], typeVocab);
        config = config.withLayerNormEps(w.layerNormEps().orElse(config.layerNormEps()));
        return config.withHiddenAct(w.hiddenAct().orElse(config.hiddenAct()));
    }

    private static int layers(Weights w) {
        int layers = 0;
        for (String name : w.names()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (layers == 0) {
            throw new ModelFormatException(w.source() + ": no encoder.layer.N.* tensors, expected a BERT encoder");
        }
        return layers;
    }
}
