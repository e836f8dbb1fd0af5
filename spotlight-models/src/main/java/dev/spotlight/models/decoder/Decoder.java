package dev.spotlight.models.decoder;

import dev.spotlight.models.config.DecoderConfig;
import java.util.List;

/**
 * A decoder-only transformer's forward pass over packed new tokens and their sequences' KV caches.
 * Implementations are immutable after loading and may run on several threads at once (each pass on
 * its own slots). A sequence's logits are bitwise the same whatever else is in the batch, however its
 * tokens were split into passes (prefill, chunks, one token at a time) and on any number of threads.
 */
public interface Decoder {
    DecoderConfig config();

    /**
     * Runs the new tokens of {@code batch}; slot s must hold exactly {@code batch.cached()[s]} positions
     * and receives the new tokens' keys and values.
     *
     * @param capture whether to return every layer's attention probabilities
     */
    DecoderOutput forward(DecoderBatch batch, List<KvCache.Slot> slots, Logits logits, boolean capture);

    /** A cache shaped for this model holding at most {@code budgetBytes}. */
    default KvCache newCache(long budgetBytes) {
        DecoderConfig c = config();
        return new KvCache(c.numLayers(), c.numKvHeads(), c.headDim(), c.maxPositions(), budgetBytes);
    }

    /** Bytes the weights take in memory. */
    long weightBytes();
}
