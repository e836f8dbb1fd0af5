package dev.spotlight.models;

import dev.spotlight.tokenizers.Encoding;
import java.util.List;

/**
 * The real tokens of a padded batch, back to back (the FlashAttention "varlen" layout). Sequence
 * {@code s} owns packed rows {@code cuSeqLens[s] .. cuSeqLens[s+1]}; {@code paddedPosition[row]} is
 * where that token sat in its padded row, so outputs can be put back into the rectangle.
 * Padding may sit on either side (or anywhere): only the attention mask decides what is real.
 */
public record PackedBatch(
        int[] ids,             // [tokens]
        int[] typeIds,         // [tokens]
        int[] indexInSequence, // [tokens] 0.. for each sequence's real tokens, in order
        int[] paddedPosition,  // [tokens] column in the padded rectangle
        int[] cuSeqLens,       // [batch + 1]
        int paddedLength) {

    public int batchSize() {
        return cuSeqLens.length - 1;
    }

    public int totalTokens() {
        return cuSeqLens[batchSize()];
    }

    public int length(int sequence) {
        return cuSeqLens[sequence + 1] - cuSeqLens[sequence];
    }

    public int maxSeqLen() {
        int max = 0;
        for (int s = 0; s < batchSize(); s++) {
            max = Math.max(max, length(s));
        }
        return max;
    }

    /** Packs the tokens whose attention mask is 1; every encoding must have the same padded length. */
    public static PackedBatch of(List<Encoding> batch) {
        int padded = batch.isEmpty() ? 0 : batch.getFirst().length();
        for (int s = 0; s < batch.size(); s++) {
            if (batch.get(s).length() != padded) {
                throw new IllegalArgumentException("encoding " + s + " has length " + batch.get(s).length()
                        + " but encoding 0 has " + padded + ": pad the batch first");
            }
        }
        return pack(batch, padded);
    }

    /**
     * Packs encodings made separately (each padded, or not, on its own), as a server coalesces
     * requests: only the attention masks matter, so the result is the same rows as packing each
     * alone; {@code paddedLength} is the longest encoding's length.
     */
    public static PackedBatch ofSeparate(List<Encoding> encodings) {
        int padded = 0;
        for (Encoding e : encodings) {
            padded = Math.max(padded, e.length());
        }
        return pack(encodings, padded);
    }

    private static PackedBatch pack(List<Encoding> batch, int padded) {
        int total = 0;
        for (Encoding e : batch) {
            for (int m : e.attentionMask()) {
                total += m;
            }
        }
        int[] ids = new int[total];
        int[] types = new int[total];
        int[] index = new int[total];
        int[] position = new int[total];
        int[] cu = new int[batch.size() + 1];
        int row = 0;
        for (int s = 0; s < batch.size(); s++) {
            Encoding e = batch.get(s);
            int[] mask = e.attentionMask();
            int[] eIds = e.ids();
            int[] eTypes = e.typeIds();
            int n = 0;
            for (int t = 0; t < mask.length; t++) {
                if (mask[t] == 1) {
                    ids[row] = eIds[t];
                    types[row] = eTypes[t];
                    index[row] = n++;
                    position[row] = t;
                    row++;
                }
            }
            cu[s + 1] = row;
        }
        return new PackedBatch(ids, types, index, position, cu, padded);
    }

    /** One unpadded sequence per array of ids (type ids 0). */
    public static PackedBatch ofIds(List<int[]> sequences) {
        int total = sequences.stream().mapToInt(a -> a.length).sum();
        int[] ids = new int[total];
        int[] index = new int[total];
        int[] cu = new int[sequences.size() + 1];
        int row = 0;
        int padded = 0;
        for (int s = 0; s < sequences.size(); s++) {
            int[] seq = sequences.get(s);
            System.arraycopy(seq, 0, ids, row, seq.length);
            for (int t = 0; t < seq.length; t++) {
                index[row + t] = t;
            }
            row += seq.length;
            cu[s + 1] = row;
            padded = Math.max(padded, seq.length);
        }
        return new PackedBatch(ids, new int[total], index, index.clone(), cu, padded);
    }
}
