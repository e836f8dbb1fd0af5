package dev.spotlight.models.decoder;

import dev.spotlight.models.FiniteActivations;
import dev.spotlight.models.ModelException;
import dev.spotlight.tensor.Parallel;
import dev.spotlight.tensor.kernels.Attention;
import dev.spotlight.tensor.kernels.AttentionRequest;
import dev.spotlight.tensor.kernels.Mask;
import java.util.List;

/**
 * The steps every decoder family's forward pass shares: checking the batch against its cache slots,
 * attention of the new queries over each sequence's cached and new keys, and choosing the rows that
 * get logits. The family classes keep only what differs (norms, positions, MLP).
 */
public final class DecoderPass {
    private DecoderPass() {
    }

    /** Checks that slot s holds exactly the batch's cached positions and makes room for the new ones. */
    public static void begin(DecoderBatch batch, List<KvCache.Slot> slots, int maxPositions, int vocab) {
        if (slots.size() != batch.batchSize()) {
            throw new IllegalArgumentException(slots.size() + " cache slots for a batch of " + batch.batchSize());
        }
        for (int s = 0; s < batch.batchSize(); s++) {
            if (slots.get(s).length() != batch.cached()[s]) {
                throw new IllegalArgumentException("sequence " + s + ": the batch says " + batch.cached()[s]
                        + " positions are cached, its slot holds " + slots.get(s).length());
            }
            int end = batch.positionOffsets()[s] + batch.length(s);
            if (end > maxPositions) {
                throw new ModelException("sequence " + s + " would reach " + end + " positions, but the model's context is "
                        + maxPositions + " (max_position_embeddings): shorten the prompt or generate fewer tokens");
            }
        }
        for (int t = 0; t < batch.totalTokens(); t++) {
            int id = batch.ids()[t];
            if (id < 0 || id >= vocab) {
                throw new ModelException("token id " + id + " (sequence " + batch.sequenceOf(t) + ") is outside the vocabulary of "
                        + vocab);
            }
        }
        for (int s = 0; s < batch.batchSize(); s++) {
            slots.get(s).ensure(batch.keyLength(s));
        }
    }

    /** After the last layer: each slot now also holds its sequence's new tokens. */
    public static void end(DecoderBatch batch, List<KvCache.Slot> slots) {
        for (int s = 0; s < batch.batchSize(); s++) {
            slots.get(s).setLength(batch.keyLength(s));
        }
    }

    /**
     * Appends layer {@code layer}'s new keys and values to every slot, then
     * ctx = softmax(scale · q kᵀ + mask) v per sequence and head over the slot's keys.
     *
     * @param q      [heads, tokens, headDim], rotated
     * @param k      [kvHeads, tokens, headDim], rotated
     * @param v      [kvHeads, tokens, headDim]
     * @param ctx    [tokens, heads · headDim] output
     * @param window how many keys back a query sees, itself included; 0 = all (causal only)
     * @return per sequence the probabilities, or null unless {@code capture}
     */
    public static AttentionCapture[] attend(int layer, DecoderBatch batch, List<KvCache.Slot> slots, float[] q, float[] k,
                                            float[] v, float[] ctx, int heads, int kvHeads, int headDim, float scale,
                                            int window, boolean capture) {
        int tokens = batch.totalTokens();
        // a NaN key would hide silently: the kernel turns a row without a finite score into zeros
        checkHeadMajor(q, heads, headDim, batch, "layer " + layer + "'s query projection");
        checkHeadMajor(k, kvHeads, headDim, batch, "layer " + layer + "'s key projection");
        checkHeadMajor(v, kvHeads, headDim, batch, "layer " + layer + "'s value projection");
        // Sequences on both threads: each decode row scatters its keys over headDim · kvHeads cache
        // lines (the transposed layout), ~2% of a 16-sequence step when one thread wrote them all.
        Parallel.forRange(batch.batchSize(), s ->
                slots.get(s).write(layer, k, v, tokens, batch.cuSeqLens()[s], batch.length(s), batch.cached()[s]));
        Mask mask = batch.mask();
        if (window > 0 && mask instanceof Mask.Causal causal) {
            mask = Mask.slidingWindow(Math.min(window, causal.window()));
        }
        AttentionRequest request = AttentionRequest.overCache(q, ctx, batch.cuSeqLens(), batch.cuKeyLens(), heads, kvHeads,
                headDim, KvCache.view(slots, layer)).withHeadMajorInputs().withMask(mask).withScale(scale);
        AttentionCapture[] captures = null;
        if (capture) {
            float[][] buffers = new float[batch.batchSize()][];
            captures = new AttentionCapture[batch.batchSize()];
            for (int s = 0; s < buffers.length; s++) {
                buffers[s] = new float[heads * batch.length(s) * batch.keyLength(s)];
                captures[s] = new AttentionCapture(heads, batch.length(s), batch.keyLength(s), batch.cached()[s], mask,
                        buffers[s]);
            }
            request = request.withProbabilities(buffers, null);
        }
        Attention.forward(request);
        return captures;
    }

    /**
     * Fails when x [rows, width] holds NaN or ±∞ ({@link FiniteActivations}); row r is packed row
     * {@code packedRows[r]}, or r itself when {@code packedRows} is null.
     */
    public static void checkFinite(float[] x, int width, int[] packedRows, DecoderBatch batch, String what) {
        int rows = packedRows == null ? batch.totalTokens() : packedRows.length;
        FiniteActivations.check(x, rows * width, what, i -> token(batch, packedRows == null ? i / width : packedRows[i / width]));
    }

    private static void checkHeadMajor(float[] x, int heads, int headDim, DecoderBatch batch, String what) {
        int tokens = batch.totalTokens();
        FiniteActivations.check(x, heads * tokens * headDim, what, i -> token(batch, i / headDim % tokens));
    }

    /** Packed row {@code row} as the user counts: its sequence and its index among that sequence's tokens. */
    private static String token(DecoderBatch batch, int row) {
        int s = batch.sequenceOf(row);
        return "sequence " + s + ", token " + (batch.cached()[s] + row - batch.cuSeqLens()[s]);
    }

    /** The packed rows that get logits. */
    public static int[] logitRows(DecoderBatch batch, Logits which) {
        return switch (which) {
            case NONE -> new int[0];
            case ALL -> java.util.stream.IntStream.range(0, batch.totalTokens()).toArray();
            case LAST -> java.util.stream.IntStream.range(0, batch.batchSize()).filter(s -> batch.length(s) > 0)
                    .map(s -> batch.cuSeqLens()[s + 1] - 1).toArray();
        };
    }

    /** Rows {@code rows} of x [tokens, width] as [rows.length, width]. */
    public static float[] gather(float[] x, int[] rows, int width) {
        float[] out = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(x, rows[r] * width, out, r * width, width);
        }
        return out;
    }
}
