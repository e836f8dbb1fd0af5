package dev.spotlight.models.llama;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.decoder.Linear;
import dev.spotlight.models.decoder.StoredMatrices;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.PackedMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a Llama-family checkpoint under Hugging Face's names, read once and packed for the
 * GEMM. Which optional tensors must exist (biases, q/k norms, an untied lm_head) follows the config,
 * so a checkpoint that does not match its config.json fails here, naming the tensor.
 *
 * @param embedding the token embedding table packed as hidden → vocab, read a token at a time by
 *                  column (when tied, the same matrix is the classifier: one copy in memory)
 * @param lmHead    the classifier, hidden → vocab
 */
record LlamaWeights(PackedMatrix embedding, Linear lmHead, float[] finalNorm, List<Layer> layers) {

    /**
     * @param qkv    the q, k and v projections
     * @param qNorm  Qwen3's per-head RMSNorm weights [headDim], else null; likewise kNorm
     * @param gateUp the MLP's gate and up projections
     */
    record Layer(float[] inputNorm, Linear[] qkv, float[] qNorm, float[] kNorm, Linear o, float[] postNorm,
                 Linear[] gateUp, Linear down) {
    }

    static LlamaWeights load(Weights w, DecoderConfig c) {
        String prefix = prefix(w);
        int hidden = c.hiddenSize();
        PackedMatrix embedding = StoredMatrices.linear(w, prefix + "embed_tokens.weight", c.vocabSize(), hidden);
        Linear lmHead;
        if (c.tieWordEmbeddings()) {
            // llama2.c's int8 files keep the shared classifier quantized: runq.c multiplies by that
            lmHead = w.quantized(prefix + "embed_tokens.weight").<Linear>map(Linear.Quantized::new)
                    .orElseGet(() -> new Linear.Dense(embedding, null));
        } else {
            if (!w.contains("lm_head.weight")) {
                throw new ModelFormatException(w.source() + ": tensor lm_head.weight is missing, and config.json says"
                        + " tie_word_embeddings is false (the classifier is not the embedding)");
            }
            lmHead = linear(w, "lm_head", c.vocabSize(), hidden, false);
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
                    new Linear[] {linear(w, a + "q_proj", q, hidden, c.qkvBias()), linear(w, a + "k_proj", kv, hidden, c.qkvBias()),
                            linear(w, a + "v_proj", kv, hidden, c.qkvBias())},
                    c.qkNorm() ? w.floats(a + "q_norm.weight", c.headDim()) : null,
                    c.qkNorm() ? w.floats(a + "k_norm.weight", c.headDim()) : null,
                    linear(w, a + "o_proj", hidden, q, c.outputBias()),
                    w.floats(l + "post_attention_layernorm.weight", hidden),
                    new Linear[] {linear(w, m + "gate_proj", inter, hidden, c.mlpBias()),
                            linear(w, m + "up_proj", inter, hidden, c.mlpBias())},
                    linear(w, m + "down_proj", hidden, inter, c.mlpBias())));
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

    /**
     * nn.Linear weight [out, in] (and its bias when the config says there is one): int8 as the file
     * keeps it when it does, else packed for x · Wᵀ.
     */
    private static Linear linear(Weights w, String module, int out, int in, boolean hasBias) {
        String name = module + ".weight";
        float[] bias = bias(w, module, out, hasBias);
        var quantized = w.quantized(name);
        if (quantized.isPresent()) {
            if (bias != null) {
                throw new ModelFormatException(w.source() + ": " + module + " is int8 and has a bias, which no int8 format"
                        + " Spotlight reads stores");
            }
            return new Linear.Quantized(quantized.get());
        }
        return new Linear.Dense(StoredMatrices.linear(w, name, out, in), bias);
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
        boolean tied = lmHead instanceof Linear.Dense d && d.w() == embedding;
        long total = 4L * finalNorm.length + (tied ? 0 : embedding.bytes()) + lmHead.bytes();
        for (Layer l : layers) {
            for (Linear m : l.qkv()) {
                total += m.bytes();
            }
            total += l.o().bytes() + l.gateUp()[0].bytes() + l.gateUp()[1].bytes() + l.down().bytes();
        }
        return total;
    }
}
