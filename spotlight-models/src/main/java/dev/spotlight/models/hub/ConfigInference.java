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
        // RoBERTa / XLM-R keep BERT's tensor names but number positions from the padding index, which only
        // config.json gives; DistilBERT has its own names. Read as BERT, either would run, wrongly.
        if (w.positionsFromInputIds()) {
            throw new ModelFormatException(w.source() + ": the graph numbers positions from the input ids (a CumSum in the"
                    + " embeddings, as RoBERTa and XLM-R do), which needs pad_token_id from config.json: put the model's"
                    + " config.json next to it");
        }
        if (w.contains("transformer.layer.0.attention.q_lin.weight")) {
            throw new ModelFormatException(w.source() + ": a DistilBERT export (transformer.layer.N.* tensors) and no"
                    + " config.json: put the model's config.json next to it");
        }
        int[] words = matrix(w, "embeddings.word_embeddings.weight");       // [vocab, hidden]
        int[] positions = matrix(w, "embeddings.position_embeddings.weight"); // [maxPositions, hidden]
        int[] intermediate = matrix(w, "encoder.layer.0.intermediate.dense.weight"); // [intermediate, hidden]
        int typeVocab = w.contains("embeddings.token_type_embeddings.weight")
                ? matrix(w, "embeddings.token_type_embeddings.weight")[0] : 0;
        int layers = layers(w);
        int heads = w.attentionHeads().orElseThrow(() -> new ModelFormatException(w.source()
                + ": cannot infer num_attention_heads from the graph (no attention Reshape or √headDim constant found);"
                + " put a config.json next to the model"));
        ModelConfig config = ModelConfig.bert(words[0], words[1], layers, heads, intermediate[0], positions[0], typeVocab);
        config = config.withLayerNormEps(w.layerNormEps().orElse(config.layerNormEps()));
        return config.withHiddenAct(w.hiddenAct().orElse(config.hiddenAct()));
    }

    /** A 2-D tensor's shape, which config sizes are read from: anything else names the tensor and its shape. */
    private static int[] matrix(Weights w, String name) {
        long[] shape = w.shape(name);
        if (shape.length != 2 || shape[0] <= 0 || shape[1] <= 0 || shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE) {
            throw new ModelFormatException(w.source() + ": tensor " + name + " has shape " + java.util.Arrays.toString(shape)
                    + ", expected 2 positive dimensions");
        }
        return new int[] {(int) shape[0], (int) shape[1]};
    }

    private static int layers(Weights w) {
        int layers = 0;
        for (String name : w.names()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                // a layer number is at most MAX_LAYERS − 1: longer digit strings never reach parseInt
                String digits = m.group(1);
                if (digits.length() > 4 || Integer.parseInt(digits) >= ModelConfig.MAX_LAYERS) {
                    throw new ModelFormatException(w.source() + ": tensor " + name + " has layer number " + digits
                            + ", expected at most " + (ModelConfig.MAX_LAYERS - 1));
                }
                layers = Math.max(layers, Integer.parseInt(digits) + 1);
            }
        }
        if (layers == 0) {
            throw new ModelFormatException(w.source() + ": no encoder.layer.N.* tensors, expected a BERT encoder");
        }
        return layers;
    }
}
