package dev.spotlight.models.gpt2;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.decoder.AttentionCapture;
import dev.spotlight.models.decoder.Decoder;
import dev.spotlight.models.decoder.DecoderBatch;
import dev.spotlight.models.decoder.DecoderOutput;
import dev.spotlight.models.decoder.DecoderPass;
import dev.spotlight.models.decoder.KvCache;
import dev.spotlight.models.decoder.Logits;
import dev.spotlight.models.decoder.StoredMatrices;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.Activation;
import dev.spotlight.tensor.kernels.Gemm;
import dev.spotlight.tensor.kernels.Norms;
import java.util.Arrays;
import java.util.List;

/**
 * GPT-2 (Radford et al. 2019): learned absolute positions, pre-LayerNorm blocks, a fused q/k/v
 * projection, causal multi-head attention over a KV cache and a GELU MLP, on packed new tokens.
 * Immutable after loading.
 */
public final class Gpt2Decoder implements Decoder {
    private final DecoderConfig config;
    private final Gpt2Weights w;
    private final Activation activation;

    private Gpt2Decoder(DecoderConfig config, Gpt2Weights w) {
        this.config = config;
        this.w = w;
        this.activation = switch (config.hiddenAct()) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> Activation.GELU_TANH;
            case "gelu" -> Activation.GELU_ERF;
            case "relu" -> Activation.RELU;
            default -> throw new ModelFormatException("config.json: activation_function \"" + config.hiddenAct()
                    + "\" is not supported");
        };
    }

    /** Reads and packs every tensor; the weights may be closed afterwards. */
    public static Gpt2Decoder load(DecoderConfig config, Weights weights) {
        return new Gpt2Decoder(config, Gpt2Weights.load(weights, config));
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
        int hd = config.headDim();
        float eps = (float) config.normEps();

        float[] x = embed(batch);                        // [tokens, hidden], the residual stream
        float[] next = new float[tokens * hidden];       // [tokens, hidden]
        float[] h = new float[tokens * hidden];          // [tokens, hidden], LayerNorm output
        float[] qkv = new float[3 * tokens * hidden];    // [3 · heads, tokens, headDim]: q's heads, k's, v's
        float[] ctx = new float[tokens * hidden];        // [tokens, heads · headDim]
        float[] ffn = new float[tokens * config.intermediateSize()]; // [tokens, inner]
        AttentionCapture[][] attentions = capture ? new AttentionCapture[config.numLayers()][] : null;

        for (int l = 0; l < config.numLayers(); l++) {
            Gpt2Weights.Layer layer = w.layers().get(l);
            // q | k | v = LN_1(x)·W_attn + b_attn, written head-major
            Norms.layerNorm(x, tokens, hidden, layer.ln1().gamma(), layer.ln1().beta(), eps, h);
            Gemm.matmulEachHeadMajor(h, tokens, new dev.spotlight.tensor.kernels.PackedMatrix[] {layer.qkv()},
                    new float[][] {layer.qkvBias()}, hd, new float[][] {qkv});
            int block = tokens * hidden;
            float[] q = Arrays.copyOfRange(qkv, 0, block);
            float[] k = Arrays.copyOfRange(qkv, block, 2 * block);
            float[] v = Arrays.copyOfRange(qkv, 2 * block, 3 * block);
            AttentionCapture[] captured = DecoderPass.attend(l, batch, slots, q, k, v, ctx, heads, heads, hd,
                    config.attentionScale().get(l), 0, capture);
            if (attentions != null) {
                attentions[l] = captured;
            }
            // x = x + ctx·W_proj + b_proj
            Gemm.matmul(ctx, tokens, layer.proj(), layer.projBias(), Activation.NONE, x, next);
            float[] swap = x;
            x = next;
            next = swap;
            // x = x + gelu(LN_2(x)·W_fc + b_fc)·W_out + b_out
            Norms.layerNorm(x, tokens, hidden, layer.ln2().gamma(), layer.ln2().beta(), eps, h);
            Gemm.matmul(h, tokens, layer.fc(), layer.fcBias(), activation, null, ffn);
            Gemm.matmul(ffn, tokens, layer.out(), layer.outBias(), Activation.NONE, x, next);
            swap = x;
            x = next;
            next = swap;
            DecoderPass.checkFinite(x, hidden, null, batch, "layer " + l + "'s output");
        }
        DecoderPass.end(batch, slots);
        // logits = LN_f(x)·W_headᵀ for the rows asked for
        int[] rows = DecoderPass.logitRows(batch, which);
        float[] last = DecoderPass.gather(x, rows, hidden);
        Norms.layerNorm(last, rows.length, hidden, w.finalNorm().gamma(), w.finalNorm().beta(), eps, last);
        float[] logits = new float[rows.length * config.vocabSize()];
        Gemm.matmul(last, rows.length, w.lmHead(), null, Activation.NONE, null, logits);
        DecoderPass.checkFinite(logits, config.vocabSize(), rows, batch, "a logit");
        return new DecoderOutput(batch, config.vocabSize(), logits, rows, attentions);
    }

    /** wte[id] + wpe[position] per new token, [tokens, hidden]. */
    private float[] embed(DecoderBatch batch) {
        int hidden = config.hiddenSize();
        int[] positions = batch.positions();
        float[] x = new float[batch.totalTokens() * hidden];
        StoredMatrices.embeddingRows(w.wte(), batch.ids(), x);
        for (int t = 0; t < positions.length; t++) {
            int position = positions[t] * hidden;
            for (int d = 0; d < hidden; d++) {
                x[t * hidden + d] += w.wpe()[position + d];
            }
        }
        return x;
    }
}
