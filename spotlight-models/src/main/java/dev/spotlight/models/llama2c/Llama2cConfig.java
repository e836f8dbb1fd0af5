package dev.spotlight.models.llama2c;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.tensor.kernels.Q8Matrix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of a llama2.c checkpoint, validated: run.c's {@code Config} plus what the version
 * 1/2 header adds. {@code vocabSize} is always positive here; the legacy format's negative
 * {@code vocab_size} becomes {@code sharedClassifier == false}.
 *
 * @param version          0 (legacy run.c), 1 (export.py fp32) or 2 (runq.c Q8_0)
 * @param sharedClassifier whether the classifier is the token embedding (HF {@code tie_word_embeddings})
 * @param groupSize        Q8_0 group size (version 2), else 0
 */
public record Llama2cConfig(int version, int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads,
                            int vocabSize, int seqLen, boolean sharedClassifier, int groupSize) {

    /** "ak42" read as a little-endian uint32, the first four bytes of a version 1/2 file. */
    static final int MAGIC = 0x616b3432;
    static final int LEGACY_HEADER_BYTES = 7 * 4;
    static final int HEADER_BYTES = 256;
    /**
     * A legacy file's first int is {@code dim}; above this it is taken for a damaged magic number
     * instead (the largest Llama has dim 16,384).
     */
    static final int MAX_LEGACY_DIM = 1 << 24;

    public int headSize() {
        return dim / nHeads;
    }

    /** The key/value width, {@code n_kv_heads · head size}. */
    public int kvDim() {
        return nKvHeads * headSize();
    }

    /**
     * Reads and validates the header at the start of {@code head} (the file's first
     * {@code min(fileSize, 256)} bytes). Every failure names the file, the field and its value.
     */
    static Llama2cConfig parse(byte[] head, long fileSize, String where) {
        if (fileSize < 4) {
            throw new ModelFormatException(where + ": file is " + fileSize + " bytes, too short for a llama2.c checkpoint");
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int first = b.getInt(0);
        if (first == MAGIC) {
            if (fileSize < HEADER_BYTES) {
                throw new ModelFormatException(where + ": file is " + fileSize + " bytes, shorter than the "
                        + HEADER_BYTES + "-byte header of a version 1/2 checkpoint");
            }
            int version = b.getInt(4);
            if (version != 1 && version != 2) {
                throw new ModelFormatException(where + ": version " + version
                        + " is not supported, expected 1 (fp32) or 2 (int8 Q8_0)");
            }
            int shared = head[36] & 0xFF;
            if (shared > 1) {
                throw new ModelFormatException(where + ": shared_classifier " + shared + " (byte 36) must be 0 or 1");
            }
            int vocab = b.getInt(28);
            if (vocab <= 0) {
                throw new ModelFormatException(where + ": vocab_size " + vocab + " must be positive");
            }
            int groupSize = version == 2 ? b.getInt(37) : 0;
            return validated(new Llama2cConfig(version, b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20),
                    b.getInt(24), vocab, b.getInt(32), shared == 1, groupSize), where);
        }
        if (first < 0 || first > MAX_LEGACY_DIM) {
            throw new ModelFormatException(where + ": starts with 0x" + Integer.toHexString(first)
                    + ", neither the \"ak42\" magic 0x" + Integer.toHexString(MAGIC)
                    + " of a version 1/2 checkpoint nor a legacy (version 0) dim in 1.." + MAX_LEGACY_DIM);
        }
        if (fileSize < LEGACY_HEADER_BYTES) {
            throw new ModelFormatException(where + ": file is " + fileSize + " bytes, shorter than the "
                    + LEGACY_HEADER_BYTES + "-byte header of a legacy (version 0) checkpoint");
        }
        int vocab = b.getInt(20);
        if (vocab == 0 || vocab == Integer.MIN_VALUE) {
            throw new ModelFormatException(where + ": vocab_size " + vocab
                    + " is invalid, expected a positive count (negative: with an unshared classifier)");
        }
        // run.c: "negative vocab size is hacky way of signaling unshared weights"
        return validated(new Llama2cConfig(0, first, b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16),
                Math.abs(vocab), b.getInt(24), vocab > 0, 0), where);
    }

    private static Llama2cConfig validated(Llama2cConfig c, String where) {
        positive(where, "dim", c.dim);
        positive(where, "hidden_dim", c.hiddenDim);
        positive(where, "n_layers", c.nLayers);
        positive(where, "n_heads", c.nHeads);
        positive(where, "n_kv_heads", c.nKvHeads);
        positive(where, "seq_len", c.seqLen);
        if (c.dim % c.nHeads != 0) {
            throw new ModelFormatException(where + ": n_heads " + c.nHeads + " does not divide dim " + c.dim);
        }
        if (c.headSize() % 2 != 0) {
            throw new ModelFormatException(where + ": head size " + c.headSize() + " (dim " + c.dim + " / n_heads "
                    + c.nHeads + ") must be even, since RoPE rotates pairs");
        }
        if (c.nHeads % c.nKvHeads != 0) {
            throw new ModelFormatException(where + ": n_kv_heads " + c.nKvHeads + " does not divide n_heads " + c.nHeads);
        }
        if (c.version == 2) {
            if (c.groupSize <= 0 || c.groupSize > Q8Matrix.MAX_GROUP_SIZE) {
                throw new ModelFormatException(where + ": group_size " + c.groupSize + " must be in 1.."
                        + Q8Matrix.MAX_GROUP_SIZE);
            }
            // runq.c's matmul and quantize assume whole groups in every row of every matrix
            if (c.dim % c.groupSize != 0) {
                throw new ModelFormatException(where + ": group_size " + c.groupSize + " does not divide dim " + c.dim);
            }
            if (c.hiddenDim % c.groupSize != 0) {
                throw new ModelFormatException(where + ": group_size " + c.groupSize + " does not divide hidden_dim "
                        + c.hiddenDim);
            }
        }
        return c;
    }

    private static void positive(String where, String field, int value) {
        if (value <= 0) {
            throw new ModelFormatException(where + ": " + field + " " + value + " must be positive");
        }
    }

    /** The header's values as run.c names them, for messages. */
    public String describe() {
        return "version " + version + ", dim " + dim + ", hidden_dim " + hiddenDim + ", n_layers " + nLayers
                + ", n_heads " + nHeads + ", n_kv_heads " + nKvHeads + ", vocab_size " + vocabSize + ", seq_len "
                + seqLen + (sharedClassifier ? ", shared" : ", unshared") + " classifier"
                + (version == 2 ? ", group_size " + groupSize : "");
    }
}
