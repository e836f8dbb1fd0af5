package dev.spotlight.models.decoder;

import dev.spotlight.tensor.kernels.Mask;
import dev.spotlight.tokenizers.Encoding;
import java.util.Arrays;
import java.util.List;

/**
 * What one decoder forward pass computes: the new tokens of several sequences, packed back to back
 * (no padding), each continuing what its KV cache already holds. A prompt's prefill has no cached
 * keys and all its tokens new; a decode step has one new token per sequence; a prompt prefilled in
 * chunks has both. Sequence s's queries are its new tokens; its keys are its cached tokens followed
 * by its new ones; the causal diagonal is aligned to the end (query i sees keys ≤ cached + i).
 *
 * @param ids             [tokens] new token ids, sequence by sequence
 * @param cuSeqLens       [batch + 1] new-token row offsets (FlashAttention's varlen convention)
 * @param cached          [batch] keys each sequence already holds in its cache
 * @param positionOffsets [batch] position id of each sequence's first new token. Equal to
 *                        {@code cached} for a decoder, as Hugging Face derives position ids from the
 *                        attention mask ({@code cumsum(mask) − 1}): padding never takes a position
 * @param mask            which keys a query sees: {@link Mask#causal()} for a decoder (a layer with a
 *                        sliding window narrows it), or a custom mask per sequence
 */
public record DecoderBatch(int[] ids, int[] cuSeqLens, int[] cached, int[] positionOffsets, Mask mask) {

    public DecoderBatch {
        int batch = cuSeqLens.length - 1;
        if (batch < 0 || cuSeqLens[0] != 0 || cuSeqLens[batch] != ids.length) {
            throw new IllegalArgumentException("cuSeqLens must run from 0 to the " + ids.length + " tokens, found "
                    + Arrays.toString(cuSeqLens));
        }
        if (cached.length != batch || positionOffsets.length != batch) {
            throw new IllegalArgumentException("cached and positionOffsets need one entry per sequence (" + batch + ")");
        }
        for (int s = 0; s < batch; s++) {
            if (cuSeqLens[s + 1] < cuSeqLens[s] || cached[s] < 0 || positionOffsets[s] < 0) {
                throw new IllegalArgumentException("sequence " + s + ": negative length, cache or position");
            }
        }
        if (mask == null) {
            throw new IllegalArgumentException("mask must be given (Mask.causal() for a decoder)");
        }
    }

    /** Prefill of whole prompts: nothing cached, causal. */
    public static DecoderBatch of(List<int[]> sequences) {
        return continuing(sequences, new int[sequences.size()]);
    }

    /** New tokens of each sequence after {@code cached[s]} cached ones, causal, positions continuing. */
    public static DecoderBatch continuing(List<int[]> newTokens, int[] cached) {
        int total = 0;
        for (int[] t : newTokens) {
            total += t.length;
        }
        int[] ids = new int[total];
        int[] cu = new int[newTokens.size() + 1];
        for (int s = 0; s < newTokens.size(); s++) {
            int[] t = newTokens.get(s);
            System.arraycopy(t, 0, ids, cu[s], t.length);
            cu[s + 1] = cu[s] + t.length;
        }
        return new DecoderBatch(ids, cu, cached.clone(), cached.clone(), Mask.causal());
    }

    /**
     * A padded batch as a tokenizer returns it, left or right padded: only tokens whose attention mask
     * is 1 are packed, so padding costs nothing and takes no position (the Hugging Face rule for
     * decoders, {@code position_ids = cumsum(attention_mask) − 1}).
     */
    public static DecoderBatch ofEncodings(List<Encoding> encodings) {
        List<int[]> sequences = encodings.stream().map(DecoderBatch::realIds).toList();
        return of(sequences);
    }

    /** The ids of the tokens whose attention mask is 1, in order. */
    public static int[] realIds(Encoding e) {
        int[] mask = e.attentionMask();
        int[] ids = e.ids();
        int n = 0;
        for (int m : mask) {
            n += m;
        }
        int[] out = new int[n];
        for (int t = 0, i = 0; t < mask.length; t++) {
            if (mask[t] == 1) {
                out[i++] = ids[t];
            }
        }
        return out;
    }

    public int batchSize() {
        return cuSeqLens.length - 1;
    }

    public int totalTokens() {
        return ids.length;
    }

    /** New tokens (queries) of sequence s. */
    public int length(int s) {
        return cuSeqLens[s + 1] - cuSeqLens[s];
    }

    /** Keys of sequence s: cached and new. */
    public int keyLength(int s) {
        return cached[s] + length(s);
    }

    /** [batch + 1] key offsets, as the attention kernel counts keys. */
    public int[] cuKeyLens() {
        int[] cu = new int[batchSize() + 1];
        for (int s = 0; s < batchSize(); s++) {
            cu[s + 1] = cu[s] + keyLength(s);
        }
        return cu;
    }

    /** [tokens] the position id of every new token. */
    public int[] positions() {
        int[] out = new int[ids.length];
        for (int s = 0; s < batchSize(); s++) {
            for (int row = cuSeqLens[s]; row < cuSeqLens[s + 1]; row++) {
                out[row] = positionOffsets[s] + row - cuSeqLens[s];
            }
        }
        return out;
    }

    /** The sequence that packed row {@code row} belongs to. */
    public int sequenceOf(int row) {
        int s = Arrays.binarySearch(cuSeqLens, row);
        if (s >= 0) {
            while (s + 1 < cuSeqLens.length && cuSeqLens[s + 1] == row) {
                s++;  // empty sequences share an offset: the row belongs to the last of them
            }
            return s;
        }
        return -s - 2;
    }
}
