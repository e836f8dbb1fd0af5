package dev.spotlight.models.llama;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.PackedMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a Llama-family checkpoint under Hugging Face's names, read once and packed for the
 * GEMM. Which optional tensors must exist (biases, q/k norms, an untied lm_head) follows the config,
 * so a checkpoint that does not match its config.json fails here, naming the tensor.
 *
 * @param embedding [vocab, hidden] row-major: the token embedding table
 * @param lmHead    the classifier, hidden → vocab (the embedding itself when tied)
 */
record LlamaWeights(float[] embedding, PackedMatrix lmHead, float[] finalNorm, List<Layer> layers) {

    /**
     * @param qkv        the q, k and v projections, packed for x · Wᵀ
     * @param qkvBias    their biases (entries null when the family has none)
     * @param qNorm      Qwen3's per-head RMSNorm weights [headDim], else null; likewise kNorm
     * @param gateUp     the MLP's gate and up projections
     */
    record Layer(float[] inputNorm, PackedMatrix[] qkv, float[][] qkvBias, float[] qNorm, float[] kNorm, PackedMatrix o,
                 float[] oBias, float[] postNorm, PackedMatrix[] gateUp, float[][] gateUpBias, PackedMatrix down,
                 float[] downBias) {
    }

    static LlamaWeights load(Weights w, DecoderConfig c) {
        String prefix = prefix(w);
        int hidden = c.hiddenSize();
        float[] embedding = w.floats(prefix + "embed_tokens.weight", c.vocabSize(), hidden);
        PackedMatrix lmHead;
        if (c.tieWordEmbeddings()) {
            lmHead = PackedMatrix.packTransposed(embedding, c.vocabSize(), hidden);
        } else {
            if (!w.contains("lm_head.weight")) {
                throw new ModelFormatException(w.source() + ": tensor lm_head.weight is missing, and config.json says"
                        + " tie_word_embeddings is false (the classifier is not the embedding)");
            }
            lmHead = linear(w, "lm_head", c.vocabSize(), hidden);
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String l = prefix + "layers." + i + ".";
            String a = l + "self_attn.";
            String m = l + "mlp.";
            int q = c.qDim();
            int kv = c.kvDim();
            int inter = c.intermediateSize();
            layers.add(new Layer(
                    w.floats(l + "input_layernorm.weight", hidden),
                    new PackedMatrix[] {linear(w, a + "q_proj", q, hidden), linear(w, a + "k_proj", kv, hidden),
                            linear(w, a + "v_proj", kv, hidden)},
                    new float[][] {bias(w, a + "q_proj", q, c.qkvBias()), bias(w, a + "k_proj", kv, c.qkvBias()),
                            bias(w, a + "v_proj", kv, c.qkvBias())},
                    c.qkNorm() ? w.floats(a + "q_norm.weight", c.headDim()) : null,
                    c.qkNorm() ? w.floats(a + "k_norm.weight", c.headDim()) : null,
                    linear(w, a + "o_proj", hidden, q), bias(w, a + "o_proj", hidden, c.outputBias()),
                    w.floats(l + "post_attention_layernorm.weight", hidden),
                    new PackedMatrix[] {linear(w, m + "gate_proj", inter, hidden), linear(w, m + "up_proj", inter, hidden)},
                    new float[][] {bias(w, m + "gate_proj", inter, c.mlpBias()), bias(w, m + "up_proj", inter, c.mlpBias())},
                    linear(w, m + "down_proj", hidden, inter), bias(w, m + "down_proj", hidden, c.mlpBias())));
        }
        return new LlamaWeights(embedding, lmHead, w.floats(prefix + "norm.weight", hidden), List.copyOf(layers));
    }

    /** A checkpoint of LlamaForCausalLM names its modules "model.…"; one of the bare LlamaModel does not. */
    private static String prefix(Weights w) {
        for (String prefix : List.of("model.", "")) {
            if (w.contains(prefix + "embed_tokens.weight")) {
                return prefix;
            }
        }
        throw new ModelFormatException(w.source() + ": tensor model.embed_tokens.weight is missing (looked for it with the"
                + " prefixes 'model.' and '')");
    }

    /** nn.Linear weight [out, in], packed for x · Wᵀ. */
    private static PackedMatrix linear(Weights w, String module, int out, int in) {
        return PackedMatrix.packTransposed(w.floats(module + ".weight", out, in), out, in);
    }

    /** The bias when the config says the module has one; a bias the config does not expect is an error. */
    private static float[] bias(Weights w, String module, int out, boolean expected) {
        String name = module + ".bias";
        if (expected) {
            return w.floats(name, out);
        }
        if (w.contains(name)) {
            throw new ModelFormatException(w.source() + ": tensor " + name + " exists but config.json says this module has"
                    + " no bias (attention_bias / mlp_bias): the config does not describe these weights");
        }
        return null;
    }

    long bytes() {
        long total = 4L * (embedding.length + finalNorm.length) + lmHead.k() * (long) lmHead.n() * 4;
        for (Layer l : layers) {
            for (PackedMatrix m : l.qkv()) {
                total += 4L * m.k() * m.n();
            }
            total += 4L * (l.o().k() * (long) l.o().n() + 2L * l.gateUp()[0].k() * l.gateUp()[0].n() + (long) l.down().k() * l.down().n());
        }
        return total;
    }
}
