package dev.spotlight.models.gpt2;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.decoder.StoredMatrices;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.PackedMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's tensors under Hugging Face's names. Its linear layers are {@code Conv1D} modules stored
 * [in, out] (used as x · W), unlike nn.Linear's [out, in]; the fused {@code c_attn} holds q, k and v
 * side by side, so one product with head-major output writes q's heads, then k's, then v's.
 *
 * @param wte     token embeddings packed as hidden → vocab, read a token at a time by column
 * @param wpe     [positions, hidden] learned position embeddings
 * @param lmHead  hidden → vocab: wte itself when tied (GPT-2's default), else lm_head.weight
 */
record Gpt2Weights(PackedMatrix wte, float[] wpe, PackedMatrix lmHead, Norm finalNorm, List<Layer> layers) {

    /** LayerNorm weight and bias, [hidden] each. */
    record Norm(float[] gamma, float[] beta) {
    }

    /**
     * @param qkv  c_attn, hidden → 3 · hidden (q | k | v)
     * @param proj attn.c_proj, hidden → hidden
     * @param fc   mlp.c_fc, hidden → inner
     * @param out  mlp.c_proj, inner → hidden
     */
    record Layer(Norm ln1, PackedMatrix qkv, float[] qkvBias, PackedMatrix proj, float[] projBias, Norm ln2,
                 PackedMatrix fc, float[] fcBias, PackedMatrix out, float[] outBias) {
    }

    static Gpt2Weights load(Weights w, DecoderConfig c) {
        String p = prefix(w);
        int hidden = c.hiddenSize();
        int inner = c.intermediateSize();
        PackedMatrix wte = StoredMatrices.linear(w, p + "wte.weight", c.vocabSize(), hidden);
        float[] wpe = w.floats(p + "wpe.weight", c.maxPositions(), hidden);
        PackedMatrix head;
        if (c.tieWordEmbeddings()) {
            head = wte;
        } else if (w.contains("lm_head.weight")) {
            head = StoredMatrices.linear(w, "lm_head.weight", c.vocabSize(), hidden);
        } else {
            throw new ModelFormatException(w.source() + ": tensor lm_head.weight is missing, and config.json says"
                    + " tie_word_embeddings is false (the classifier is not wte)");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String l = p + "h." + i + ".";
            layers.add(new Layer(norm(w, l + "ln_1", hidden),
                    conv1d(w, l + "attn.c_attn", hidden, 3 * hidden), w.floats(l + "attn.c_attn.bias", 3 * hidden),
                    conv1d(w, l + "attn.c_proj", hidden, hidden), w.floats(l + "attn.c_proj.bias", hidden),
                    norm(w, l + "ln_2", hidden),
                    conv1d(w, l + "mlp.c_fc", hidden, inner), w.floats(l + "mlp.c_fc.bias", inner),
                    conv1d(w, l + "mlp.c_proj", inner, hidden), w.floats(l + "mlp.c_proj.bias", hidden)));
        }
        return new Gpt2Weights(wte, wpe, head, norm(w, p + "ln_f", hidden), List.copyOf(layers));
    }

    /** GPT2LMHeadModel saves "transformer.h.0…"; a bare GPT2Model (the hub's gpt2 files) saves "h.0…". */
    private static String prefix(Weights w) {
        for (String prefix : List.of("transformer.", "")) {
            if (w.contains(prefix + "wte.weight")) {
                return prefix;
            }
        }
        throw new ModelFormatException(w.source() + ": tensor transformer.wte.weight is missing (looked for it with the"
                + " prefixes 'transformer.' and '')");
    }

    /** Conv1D weight [in, out], packed for x · W. */
    private static PackedMatrix conv1d(Weights w, String module, int in, int out) {
        return StoredMatrices.conv1d(w, module + ".weight", in, out);
    }

    private static Norm norm(Weights w, String module, int hidden) {
        return new Norm(w.floats(module + ".weight", hidden), w.floats(module + ".bias", hidden));
    }

    long bytes() {
        long total = wte.bytes() + 4L * wpe.length + (lmHead == wte ? 0 : lmHead.bytes());
        for (Layer l : layers) {
            total += l.qkv().bytes() + l.proj().bytes() + l.fc().bytes() + l.out().bytes();
        }
        return total;
    }
}
