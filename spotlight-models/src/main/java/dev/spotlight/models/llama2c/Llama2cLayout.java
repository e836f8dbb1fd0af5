package dev.spotlight.models.llama2c;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ModelConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where each tensor of a llama2.c checkpoint lies, under its Hugging Face name. The file is a
 * sequence of blocks, each one tensor or one tensor per layer back to back (all layers' wq, then all
 * layers' wk, …), in the order run.c's / runq.c's {@code memory_map_weights} and export.py write
 * them. The expected file length is the sum of the blocks, computed with overflow checks before
 * any per-tensor entry exists, so a hostile header cannot make us allocate or loop for long.
 */
final class Llama2cLayout {
    /** HF names; {@code %d} is the layer. */
    static final String EMBED = "model.embed_tokens.weight";
    static final String NORM = "model.norm.weight";
    static final String LM_HEAD = "lm_head.weight";
    static final String INPUT_NORM = "model.layers.%d.input_layernorm.weight";
    static final String POST_NORM = "model.layers.%d.post_attention_layernorm.weight";
    static final String Q = "model.layers.%d.self_attn.q_proj.weight";
    static final String K = "model.layers.%d.self_attn.k_proj.weight";
    static final String V = "model.layers.%d.self_attn.v_proj.weight";
    static final String O = "model.layers.%d.self_attn.o_proj.weight";
    static final String GATE = "model.layers.%d.mlp.gate_proj.weight";
    static final String DOWN = "model.layers.%d.mlp.down_proj.weight";
    static final String UP = "model.layers.%d.mlp.up_proj.weight";

    /**
     * One tensor's place: f32 data at {@code offset}, or (Q8) int8 values at {@code offset} followed
     * by float32 scales at {@code scalesOffset}. {@code permuteHeads} > 0 asks for the rows to be
     * reordered inside each of that many heads (interleaved RoPE pairs → rotate_half halves).
     *
     * @param cols 0 for a vector
     */
    record Entry(String name, int rows, int cols, long offset, boolean q8, long scalesOffset, int permuteHeads) {
        long[] shape() {
            return cols == 0 ? new long[] {rows} : new long[] {rows, cols};
        }

        long count() {
            return cols == 0 ? rows : (long) rows * cols;
        }
    }

    private record Block(String pattern, int layers, int rows, int cols, long offset, long bytesEach, boolean q8,
                         int permuteHeads) {
    }

    private final Llama2cConfig config;
    private final String where;
    private final List<Block> blocks = new ArrayList<>();
    private long end;

    private Llama2cLayout(Llama2cConfig config, String where) {
        this.config = config;
        this.where = where;
    }

    /**
     * The layout of a file of {@code fileSize} bytes with this header; a file not exactly as long as
     * the header implies is an error naming both lengths.
     */
    static SortedMap<String, Entry> of(Llama2cConfig c, long fileSize, String where) {
        Llama2cLayout l = new Llama2cLayout(c, where);
        int layers = c.nLayers();
        int dim = c.dim();
        if (c.version() == 0) {
            l.end = Llama2cConfig.LEGACY_HEADER_BYTES;
            l.f32(EMBED, 1, c.vocabSize(), dim, 0);
            l.f32(INPUT_NORM, layers, dim, 0, 0);
            l.matrices(false);
            // The final norm sits between the FFN weights and two RoPE tables [seq_len, head_size / 2]
            // (cos, sin) that run.c skips; an unshared classifier follows them.
            l.f32(NORM, 1, dim, 0, 0);
            l.end = l.add(l.end, l.times(2, l.times(c.seqLen(), l.times(c.headSize() / 2, 4))));
        } else {
            l.end = Llama2cConfig.HEADER_BYTES;
            l.f32(INPUT_NORM, layers, dim, 0, 0);
            l.f32(POST_NORM, layers, dim, 0, 0);
            l.f32(NORM, 1, dim, 0, 0);
            l.tensor(EMBED, 1, c.vocabSize(), dim, c.version() == 2, 0);
            l.matrices(c.version() == 2);
        }
        if (!c.sharedClassifier()) {
            l.tensor(LM_HEAD, 1, c.vocabSize(), dim, c.version() == 2, 0);
        }
        if (l.end != fileSize) {
            throw new ModelFormatException(where + ": file is " + fileSize + " bytes, but its header (" + c.describe()
                    + ") implies " + l.end + " bytes");
        }
        // a sparse file matches any header's length: bound the per-layer entries before listing them
        if (layers > ModelConfig.MAX_LAYERS) {
            throw new ModelFormatException(where + ": n_layers " + layers + " is more than the " + ModelConfig.MAX_LAYERS
                    + " layers a model may have");
        }
        return l.entries();
    }

    /** wq, wk, wv, wo (with the version 0 FFN norm after them), w1, w2, w3; each block holds all layers. */
    private void matrices(boolean q8) {
        int layers = config.nLayers();
        int dim = config.dim();
        int hidden = config.hiddenDim();
        int kv = config.kvDim();
        tensor(Q, layers, dim, dim, q8, config.nHeads());
        tensor(K, layers, kv, dim, q8, config.nKvHeads());
        tensor(V, layers, kv, dim, q8, 0);
        tensor(O, layers, dim, dim, q8, 0);
        if (config.version() == 0) {
            f32(POST_NORM, layers, dim, 0, 0);
        }
        tensor(GATE, layers, hidden, dim, q8, 0);  // llama2.c w1
        tensor(DOWN, layers, dim, hidden, q8, 0);  // w2
        tensor(UP, layers, hidden, dim, q8, 0);    // w3
    }

    private void f32(String pattern, int layers, int rows, int cols, int permuteHeads) {
        tensor(pattern, layers, rows, cols, false, permuteHeads);
    }

    private void tensor(String pattern, int layers, int rows, int cols, boolean q8, int permuteHeads) {
        long count = times(rows, Math.max(cols, 1));
        // Q8: the int8 values, then one float32 scale per group (runq.c's init_quantized_tensors)
        long bytesEach = q8 ? add(count, times(count / config.groupSize(), 4)) : times(count, 4);
        blocks.add(new Block(pattern, layers, rows, cols, end, bytesEach, q8, permuteHeads));
        end = add(end, times(layers, bytesEach));
    }

    private SortedMap<String, Entry> entries() {
        SortedMap<String, Entry> out = new TreeMap<>();
        for (Block b : blocks) {
            for (int layer = 0; layer < b.layers; layer++) {
                String name = b.pattern.contains("%d") ? b.pattern.replace("%d", Integer.toString(layer)) : b.pattern;
                long offset = b.offset + layer * b.bytesEach;
                long count = (long) b.rows * Math.max(b.cols, 1);
                out.put(name, new Entry(name, b.rows, b.cols, offset, b.q8, b.q8 ? offset + count : -1, b.permuteHeads));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    private long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw tooLarge();
        }
    }

    private long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw tooLarge();
        }
    }

    private ModelFormatException tooLarge() {
        return new ModelFormatException(where + ": its header (" + config.describe()
                + ") implies a file of more than 2^63 bytes");
    }
}
