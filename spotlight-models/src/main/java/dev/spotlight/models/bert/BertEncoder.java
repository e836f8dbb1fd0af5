package dev.spotlight.models.bert;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.FiniteActivations;
import dev.spotlight.models.FreeHeap;
import dev.spotlight.models.ModelException;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.PackedBatch;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.FiniteWeights;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.Activation;
import dev.spotlight.tensor.kernels.Gemm;
import dev.spotlight.tensor.kernels.Norms;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The post-LayerNorm transformer encoder of BERT (Devlin et al. 2019) and its relatives, run on
 * packed real tokens only. Every linear layer is one GEMM over all tokens of the batch; attention
 * runs per sequence and head in the fused kernel, which never sees a padding position.
 * Immutable after construction; {@link #forward} may run on several threads at once.
 */
public final class BertEncoder {
    private final ModelConfig config;
    private final BertFamily family;
    private final BertWeights w;
    private final Activation ffnActivation;
    private final String source;

    private BertEncoder(ModelConfig config, BertFamily family, BertWeights w, String source) {
        this.config = config;
        this.family = family;
        this.w = w;
        this.source = source;
        this.ffnActivation = activation(config.hiddenAct(), source);
    }

    /** Reads and packs every tensor; the weights may be closed afterwards. */
    public static BertEncoder load(ModelConfig config, Weights weights) {
        BertFamily family = BertFamily.of(config, weights.source());
        if (!config.positionEmbeddingType().equals("absolute")) {
            // transformers adds learned distance embeddings to the attention scores for these; running
            // the absolute path instead would give plausible but wrong outputs, so refuse.
            throw new ModelFormatException(weights.source() + ": config.json: position_embedding_type \""
                    + config.positionEmbeddingType() + "\" is not supported, expected \"absolute\" (relative_key and"
                    + " relative_key_query attention is not implemented)");
        }
        return new BertEncoder(config, family, BertWeights.load(FiniteWeights.of(weights), config, family), weights.source());
    }

    public ModelConfig config() {
        return config;
    }

    /** The most tokens one sequence may have: the position table's size, less RoBERTa's padding offset. */
    public int maxSequenceLength() {
        return config.maxPositionEmbeddings() - family.position(0, config);
    }

    public EncoderOutput forward(PackedBatch batch, Capture capture) {
        checkMemory(batch, capture);
        int tokens = batch.totalTokens();
        int hidden = config.hiddenSize();
        int inner = config.intermediateSize();
        int layers = w.layers().size();
        float eps = (float) config.layerNormEps();

        float[] x = embed(batch);                 // [tokens, hidden]
        float[] q = new float[tokens * hidden];   // [heads, tokens, headDim]: each head's rows in one block
        float[] k = new float[tokens * hidden];
        float[] v = new float[tokens * hidden];
        float[] context = new float[tokens * hidden];
        float[] h = new float[tokens * hidden];   // after the attention block
        float[] ffn = new float[tokens * inner];  // [tokens, intermediate]
        List<float[]> hiddenStates = new ArrayList<>();
        if (capture.hiddenStates()) {
            hiddenStates.add(x.clone());
        }
        float[][][] attentions = capture.attentions() ? new float[layers][][] : null;
        float[][][] valueVectors = capture.valueVectors() ? new float[layers][][] : null;

        for (int l = 0; l < layers; l++) {
            BertWeights.Layer layer = w.layers().get(l);
            // Self-attention: q, k, v projections, fused masked attention per sequence and head.
            Gemm.matmulEachHeadMajor(x, tokens, layer.qkvPacked(), layer.qkvBiases(), config.headDim(),
                    new float[][] {q, k, v});
            // a NaN key would hide silently: the kernel turns a row without a finite score into zeros
            checkFinite(batch, q, config.headDim(), true, l, "query projection");
            checkFinite(batch, k, config.headDim(), true, l, "key projection");
            checkFinite(batch, v, config.headDim(), true, l, "value projection");
            if (attentions != null) {
                attentions[l] = SelfAttention.probabilityBuffers(batch, config.numAttentionHeads());
            }
            SelfAttention.run(q, k, v, context, batch, config.numAttentionHeads(), config.headDim(),
                    attentions == null ? null : attentions[l]);
            if (valueVectors != null) {
                valueVectors[l] = SelfAttention.valueVectors(v, layer.woWeight(), batch, config.numAttentionHeads(),
                        config.headDim(), hidden);
            }
            // h = LayerNorm(context · Wo + bo + x)
            Gemm.matmul(context, tokens, layer.wo().packed(), layer.wo().bias(), Activation.NONE, x, h);
            Norms.layerNorm(h, tokens, hidden, layer.attentionNorm().gamma(), layer.attentionNorm().beta(), eps, h);
            // x = LayerNorm(act(h · W1 + b1) · W2 + b2 + h)
            Gemm.matmul(h, tokens, layer.ffnIn().packed(), layer.ffnIn().bias(), ffnActivation, null, ffn);
            Gemm.matmul(ffn, tokens, layer.ffnOut().packed(), layer.ffnOut().bias(), Activation.NONE, h, x);
            Norms.layerNorm(x, tokens, hidden, layer.outputNorm().gamma(), layer.outputNorm().beta(), eps, x);
            checkFinite(batch, x, hidden, false, l, "output");
            if (capture.hiddenStates()) {
                hiddenStates.add(x.clone());
            }
        }
        return new EncoderOutput(batch, hidden, config.numAttentionHeads(), x, List.copyOf(hiddenStates), attentions,
                valueVectors, pool(x, batch));
    }

    /**
     * Fails when layer {@code layer}'s activation x holds NaN or ±∞ ({@link FiniteActivations}): [tokens,
     * width], or head-major [heads, tokens, width] with {@code headMajor}.
     */
    private void checkFinite(PackedBatch batch, float[] x, int width, boolean headMajor, int layer, String what) {
        int tokens = batch.totalTokens();
        FiniteActivations.check(x, headMajor ? tokens * config.hiddenSize() : tokens * width,
                source + ": layer " + layer + "'s " + what, i -> {
                    int row = i / width % tokens;
                    int s = 0;
                    while (batch.cuSeqLens()[s + 1] <= row) {
                        s++;
                    }
                    return "sequence " + s + ", token " + (row - batch.cuSeqLens()[s]);
                });
    }

    /**
     * Refuses a pass whose buffers and captured matrices would not fit in the heap that is free, with
     * the size it needs, before anything is allocated: capturing attention keeps layers × heads ×
     * length² floats per sequence, 4.7 GB for 1,000 texts of 128 tokens through MiniLM.
     */
    private void checkMemory(PackedBatch batch, Capture capture) {
        long tokens = batch.totalTokens();
        long hidden = config.hiddenSize();
        long layers = w.layers().size();
        long heads = config.numAttentionHeads();
        long squares = 0;
        long longest = 0;
        for (int s = 0; s < batch.batchSize(); s++) {
            squares += (long) batch.length(s) * batch.length(s);
            longest = Math.max(longest, batch.length(s));
        }
        long work = tokens * (6 * hidden + config.intermediateSize()) * Float.BYTES;
        long attention = capture.attentions() ? layers * heads * squares * Float.BYTES : 0;
        long values = capture.valueVectors() ? layers * heads * tokens * hidden * Float.BYTES : 0;
        long states = capture.hiddenStates() ? (layers + 1) * tokens * hidden * Float.BYTES : 0;
        long needed = work + attention + values + states;
        long free = FreeHeap.bytes(needed);
        boolean arraysFit = tokens * Math.max(hidden, config.intermediateSize()) <= Integer.MAX_VALUE - 8
                && heads * longest * Math.max(longest, capture.valueVectors() ? hidden : 0) <= Integer.MAX_VALUE - 8;
        if (needed > free || !arraysFit) {
            throw new ModelException(String.format(Locale.ROOT, "encoding %d sequence(s) of %d tokens in all needs about %.2f GB"
                    + " (%.2f GB of work space, %.2f GB for the captured attention matrices: %d layers × %d heads × Σ length²,"
                    + " %.2f GB for value vectors, %.2f GB for hidden states), but %.2f GB of the heap is free%s: pass fewer"
                    + " texts per call, or run with a larger -Xmx (SPOTLIGHT_JAVA_OPTS)", batch.batchSize(), tokens,
                    gb(needed), gb(work), gb(attention), layers, heads, gb(values), gb(states), gb(free),
                    arraysFit ? "" : " (and one buffer would pass the largest Java array)"));
        }
    }

    private static double gb(long bytes) {
        return bytes / (double) (1L << 30);
    }

    /** word + token type + position embeddings, then LayerNorm; [tokens, hidden]. */
    private float[] embed(PackedBatch batch) {
        int hidden = config.hiddenSize();
        int tokens = batch.totalTokens();
        float[] x = new float[tokens * hidden];
        float[] word = w.wordEmbeddings();
        float[] types = w.tokenTypeEmbeddings();
        float[] positions = w.positionEmbeddings();
        for (int t = 0; t < tokens; t++) {
            int id = batch.ids()[t];
            int type = batch.typeIds()[t];
            int position = family.position(batch.indexInSequence()[t], config);
            checkInputs(batch, t, id, type, position);
            int row = t * hidden;
            for (int d = 0; d < hidden; d++) {
                float e = word[id * hidden + d];
                if (types.length > 0) {
                    e += types[type * hidden + d];
                }
                x[row + d] = e + positions[position * hidden + d];
            }
        }
        BertWeights.Norm norm = w.embeddingNorm();
        Norms.layerNorm(x, tokens, hidden, norm.gamma(), norm.beta(), (float) config.layerNormEps(), x);
        return x;
    }

    private void checkInputs(PackedBatch batch, int row, int id, int type, int position) {
        if (id < 0 || id >= config.vocabSize()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + config.vocabSize()
                    + " (" + source + ")");
        }
        int typeCount = Math.max(1, config.typeVocabSize());
        if (type < 0 || (family.hasTokenTypes() && type >= typeCount)) {
            throw new IllegalArgumentException("token type id " + type + " is outside type_vocab_size " + typeCount);
        }
        if (position >= config.maxPositionEmbeddings()) {
            int sequence = 0;
            while (batch.cuSeqLens()[sequence + 1] <= row) {
                sequence++;
            }
            int longest = maxSequenceLength();
            throw new IllegalArgumentException("sequence " + sequence + " has " + batch.length(sequence)
                    + " tokens but the model takes at most " + longest + ": truncate it (max_length " + longest + ")");
        }
    }

    /** BERT's pooler: tanh(W · h[CLS] + b) per sequence, or null when the checkpoint has none. */
    private float[] pool(float[] x, PackedBatch batch) {
        if (w.pooler() == null || batch.batchSize() == 0) {
            return null;
        }
        int hidden = config.hiddenSize();
        float[] cls = new float[batch.batchSize() * hidden];
        for (int s = 0; s < batch.batchSize(); s++) {
            System.arraycopy(x, batch.cuSeqLens()[s] * hidden, cls, s * hidden, hidden);
        }
        float[] out = new float[cls.length];
        Gemm.matmul(cls, batch.batchSize(), w.pooler().packed(), w.pooler().bias(), Activation.NONE, null, out);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.tanh(out[i]);
        }
        return out;
    }

    static Activation activation(String hiddenAct, String source) {
        return switch (hiddenAct.toLowerCase(Locale.ROOT)) {
            case "gelu" -> Activation.GELU_ERF;
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> Activation.GELU_TANH;
            case "relu" -> Activation.RELU;
            default -> throw new ModelFormatException(source + ": config.json: hidden_act \"" + hiddenAct
                    + "\" is not supported, expected gelu, gelu_new, gelu_pytorch_tanh or relu");
        };
    }
}
