package dev.spotlight.models.bert;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.PackedMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Every tensor of a BERT-family encoder, checked against config.json and packed once for the GEMM
 * kernel. After construction nothing refers to the source file, so it can be closed.
 */
record BertWeights(
        float[] wordEmbeddings,      // [vocab, hidden]
        float[] positionEmbeddings,  // [maxPositions, hidden]
        float[] tokenTypeEmbeddings, // [typeVocab, hidden], empty when the family has no token types
        Norm embeddingNorm,
        List<Layer> layers,
        Linear pooler) {             // null when the checkpoint has no pooler

    /** {@code y = x·Wᵀ + b}, W packed for the GEMM kernel. */
    record Linear(PackedMatrix packed, float[] bias /* [out] */) {
    }

    record Norm(float[] gamma, float[] beta) {
    }

    /** {@code woWeight} keeps the attention output matrix unpacked ([out, in]): value-vector capture reads per-head slices. */
    record Layer(Linear q, Linear k, Linear v, Linear wo, float[] woWeight, Norm attentionNorm, Linear ffnIn, Linear ffnOut,
                 Norm outputNorm) {
        /** The query, key and value matrices, for one {@code Gemm.matmulEach}. */
        PackedMatrix[] qkvPacked() {
            return new PackedMatrix[] {q.packed(), k.packed(), v.packed()};
        }

        float[][] qkvBiases() {
            return new float[][] {q.bias(), k.bias(), v.bias()};
        }
    }

    static BertWeights load(Weights weights, ModelConfig config, BertFamily family) {
        String p = family.prefix(weights);
        long hidden = config.hiddenSize();
        long inner = config.intermediateSize();
        checkVocab(weights, p, config);
        float[] word = weights.floats(p + "embeddings.word_embeddings.weight", config.vocabSize(), hidden);
        float[] position = weights.floats(p + "embeddings.position_embeddings.weight", config.maxPositionEmbeddings(), hidden);
        float[] types = family.hasTokenTypes() && config.typeVocabSize() > 0
                ? weights.floats(p + "embeddings.token_type_embeddings.weight", config.typeVocabSize(), hidden)
                : new float[0];
        Norm embeddingNorm = norm(weights, p + "embeddings.LayerNorm", hidden);

        String last = p + family.layer(config.numHiddenLayers() - 1).query() + ".weight";
        if (!weights.contains(last)) {
            int present = 0;
            while (weights.contains(p + family.layer(present).query() + ".weight")) {
                present++;
            }
            throw new ModelFormatException(weights.source() + ": config.json says num_hidden_layers " + config.numHiddenLayers()
                    + ", but the weights hold " + present + " layer(s) (tensor " + last + " is missing)");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            BertFamily.LayerNames n = family.layer(i);
            layers.add(new Layer(
                    linear(weights, p + n.query(), hidden, hidden),
                    linear(weights, p + n.key(), hidden, hidden),
                    linear(weights, p + n.value(), hidden, hidden),
                    linear(weights, p + n.attentionOutput(), hidden, hidden),
                    weights.floats(p + n.attentionOutput() + ".weight", hidden, hidden),
                    norm(weights, p + n.attentionNorm(), hidden),
                    linear(weights, p + n.intermediate(), inner, hidden),
                    linear(weights, p + n.output(), hidden, inner),
                    norm(weights, p + n.outputNorm(), hidden)));
        }
        String extra = p + "encoder.layer." + config.numHiddenLayers() + ".attention.self.query.weight";
        if (weights.contains(extra)) {
            throw new ModelFormatException(weights.source() + ": tensor " + extra + " exists but config.json says num_hidden_layers "
                    + config.numHiddenLayers());
        }
        Linear pooler = weights.contains(p + "pooler.dense.weight") ? linear(weights, p + "pooler.dense", hidden, hidden) : null;
        return new BertWeights(word, position, types, embeddingNorm, List.copyOf(layers), pooler);
    }

    private static void checkVocab(Weights weights, String p, ModelConfig config) {
        long[] shape = weights.shape(p + "embeddings.word_embeddings.weight");
        if (shape.length == 2 && shape[0] != config.vocabSize()) {
            throw new ModelFormatException(weights.source() + ": tensor " + p + "embeddings.word_embeddings.weight has "
                    + shape[0] + " rows but config.json says vocab_size " + config.vocabSize());
        }
    }

    static Linear linear(Weights weights, String module, long out, long in) {
        float[] w = weights.floats(module + ".weight", out, in);
        float[] b = weights.floats(module + ".bias", out);
        return new Linear(PackedMatrix.packTransposed(w, (int) out, (int) in), b);
    }

    static Norm norm(Weights weights, String module, long dim) {
        return new Norm(weights.floats(module + ".weight", dim), weights.floats(module + ".bias", dim));
    }
}
