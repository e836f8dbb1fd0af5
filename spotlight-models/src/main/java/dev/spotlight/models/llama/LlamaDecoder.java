package dev.spotlight.models.llama;

import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.decoder.AttentionCapture;
import dev.spotlight.models.decoder.Decoder;
import dev.spotlight.models.decoder.DecoderBatch;
import dev.spotlight.models.decoder.DecoderOutput;
import dev.spotlight.models.decoder.DecoderPass;
import dev.spotlight.models.decoder.KvCache;
import dev.spotlight.models.decoder.Logits;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.models.decoder.Linear;
import dev.spotlight.models.decoder.StoredMatrices;
import dev.spotlight.tensor.kernels.GatedActivation;
import dev.spotlight.tensor.kernels.Norms;
import java.util.List;

/**
 * The Llama decoder (Touvron et al. 2023) and its relatives by config: Mistral (sliding-window
 * attention), Qwen2 (q/k/v biases) and Qwen3 (per-head q/k RMSNorm). Pre-norm blocks with RMSNorm,
 * rotary positions, grouped-query attention over a KV cache and a SwiGLU MLP, run on packed new
 * tokens: every linear layer is one GEMM over all new tokens of the batch, attention runs per
 * sequence over that sequence's cache. Immutable after loading.
 */
public final class LlamaDecoder implements Decoder {
    private final DecoderConfig config;
    private final LlamaWeights w;
    private final Rope rope;

    private LlamaDecoder(DecoderConfig config, LlamaWeights w) {
        this.config = config;
        this.w = w;
        this.rope = new Rope(config);
    }

    /** Reads and packs every tensor; the weights may be closed afterwards. */
    public static LlamaDecoder load(DecoderConfig config, Weights weights) {
        return new LlamaDecoder(config, LlamaWeights.load(weights, config));
    }

    @Override
    public DecoderConfig config() {
        return config;
    }

    @Override
    public long weightBytes() {
        return w.bytes();
    }

    @Override
    public DecoderOutput forward(DecoderBatch batch, List<KvCache.Slot> slots, Logits which, boolean capture) {
        DecoderPass.begin(batch, slots, config.maxPositions(), config.vocabSize());
        int tokens = batch.totalTokens();
        int hidden = config.hiddenSize();
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int hd = config.headDim();
        float eps = (float) config.normEps();

        float[] x = embed(batch.ids());                    // [tokens, hidden], the residual stream
        float[] next = new float[tokens * hidden];         // [tokens, hidden], x after the next residual add
        float[] h = new float[tokens * hidden];            // [tokens, hidden], normed input of a sub-block
        float[] q = new float[tokens * config.qDim()];     // [heads, tokens, headDim]
        float[] k = new float[tokens * config.kvDim()];    // [kvHeads, tokens, headDim]
        float[] v = new float[tokens * config.kvDim()];    // [kvHeads, tokens, headDim]
        float[] ctx = new float[tokens * config.qDim()];   // [tokens, heads · headDim]
        float[] gate = new float[tokens * config.intermediateSize()]; // [tokens, intermediate]
        float[] up = new float[tokens * config.intermediateSize()];   // [tokens, intermediate]
        Rope.Tables angles = rope.tables(batch.positions());
        AttentionCapture[][] attentions = capture ? new AttentionCapture[config.numLayers()][] : null;

        for (int l = 0; l < config.numLayers(); l++) {
            LlamaWeights.Layer layer = w.layers().get(l);
            // h = RMSNorm(x); q, k, v = h·Wq, h·Wk, h·Wv (head-major, as attention reads them)
            Norms.rmsNorm(x, tokens, hidden, layer.inputNorm(), eps, h);
            Linear.project(h, tokens, layer.qkv(), new float[][] {q, k, v}, hd);
            if (config.qkNorm()) {  // Qwen3: RMSNorm over each head's q and k before the rotation
                Norms.rmsNorm(q, heads * tokens, hd, layer.qNorm(), eps, q);
                Norms.rmsNorm(k, kvHeads * tokens, hd, layer.kNorm(), eps, k);
            }
            rope.apply(q, heads, tokens, angles);
            rope.apply(k, kvHeads, tokens, angles);
            // ctx = softmax(q·kᵀ/√d + causal mask)·v over each sequence's cached and new keys
            AttentionCapture[] captured = DecoderPass.attend(l, batch, slots, q, k, v, ctx, heads, kvHeads, hd,
                    config.attentionScale().get(l), config.slidingWindows().get(l), capture);
            if (attentions != null) {
                attentions[l] = captured;
            }
            // x = x + ctx·Wo
            Linear.projectAdding(ctx, tokens, layer.o(), x, next);
            float[] swap = x;
            x = next;
            next = swap;
            // x = x + (silu(RMSNorm(x)·Wgate) ⊙ RMSNorm(x)·Wup)·Wdown
            Norms.rmsNorm(x, tokens, hidden, layer.postNorm(), eps, h);
            Linear.project(h, tokens, layer.gateUp(), new float[][] {gate, up}, 0);
            GatedActivation.siluMul(gate, up, tokens * config.intermediateSize());
            Linear.projectAdding(gate, tokens, layer.down(), x, next);
            swap = x;
            x = next;
            next = swap;
            DecoderPass.checkFinite(x, hidden, null, batch, "layer " + l + "'s output");
        }
        DecoderPass.end(batch, slots);
        // logits = RMSNorm(x)·Eᵀ, only for the rows asked for (norm and product are row by row)
        int[] rows = DecoderPass.logitRows(batch, which);
        float[] last = DecoderPass.gather(x, rows, hidden);
        Norms.rmsNorm(last, rows.length, hidden, w.finalNorm(), eps, last);
        float[] logits = new float[rows.length * config.vocabSize()];
        Linear.apply(last, rows.length, w.lmHead(), logits);
        DecoderPass.checkFinite(logits, config.vocabSize(), rows, batch, "a logit");
        return new DecoderOutput(batch, config.vocabSize(), logits, rows, attentions);
    }

    /** The embedding rows of {@code ids}, [ids.length, hidden]. */
    private float[] embed(int[] ids) {
        float[] x = new float[ids.length * config.hiddenSize()];
        StoredMatrices.embeddingRows(w.embedding(), ids, x);
        return x;
    }
}
