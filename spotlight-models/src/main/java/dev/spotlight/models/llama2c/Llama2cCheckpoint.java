package dev.spotlight.models.llama2c;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.llama2c.Llama2cLayout.Entry;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.Q8Matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A llama2.c checkpoint ({@code .bin}, version 0, 1 or 2; see the package comment), memory-mapped
 * and presented as a Hugging Face Llama: {@link #configJson()}, {@link #weights()} with HF names and
 * layouts, and for version 2 the int8 matrices themselves ({@link #quantized}). The header and the
 * file length are validated before anything is mapped.
 */
public final class Llama2cCheckpoint implements AutoCloseable {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Largest Java array. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path path;
    private final String where;
    private final Llama2cConfig config;
    private final SortedMap<String, Entry> entries;
    private final Arena arena;
    private final MemorySegment file;

    private Llama2cCheckpoint(Path path, Llama2cConfig config, SortedMap<String, Entry> entries, Arena arena,
                              MemorySegment file) {
        this.path = path;
        this.where = path.toString();
        this.config = config;
        this.entries = entries;
        this.arena = arena;
        this.file = file;
    }

    /** Opens and validates {@code bin}; a bad file is a one-line {@link ModelFormatException}. */
    public static Llama2cCheckpoint open(Path bin) {
        String where = bin.toString();
        if (!Files.isRegularFile(bin)) {
            throw new ModelFormatException(where + ": no such file");
        }
        try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, Llama2cConfig.HEADER_BYTES));
            while (head.hasRemaining() && ch.read(head, head.position()) >= 0) {
                // read until the header (or the file) is complete
            }
            Llama2cConfig config = Llama2cConfig.parse(head.array(), size, where);
            SortedMap<String, Entry> entries = Llama2cLayout.of(config, size, where);
            Arena arena = Arena.ofShared();
            try {
                MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                return new Llama2cCheckpoint(bin, config, entries, arena, mapped);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": " + e.getMessage(), e);
        }
    }

    public Llama2cConfig config() {
        return config;
    }

    public Path path() {
        return path;
    }

    /**
     * The Hugging Face {@code LlamaConfig} of this model, as transformers writes config.json. The
     * constants are llama2.c's: RMSNorm eps 1e-5 and RoPE θ 10000 are fixed in run.c; BOS 1 and
     * EOS 2 are its tokenizer's.
     */
    public String configJson() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("model_type", "llama");
        c.put("attention_bias", false);
        c.put("attention_dropout", new PythonJson.Raw("0.0"));
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("head_dim", config.headSize());
        c.put("hidden_act", "silu");
        c.put("hidden_size", config.dim());
        c.put("initializer_range", new PythonJson.Raw("0.02"));
        c.put("intermediate_size", config.hiddenDim());
        c.put("max_position_embeddings", config.seqLen());
        c.put("mlp_bias", false);
        c.put("num_attention_heads", config.nHeads());
        c.put("num_hidden_layers", config.nLayers());
        c.put("num_key_value_heads", config.nKvHeads());
        c.put("pretraining_tp", 1);
        c.put("rms_norm_eps", new PythonJson.Raw("1e-05"));
        c.put("rope_scaling", null);
        c.put("rope_theta", new PythonJson.Raw("10000.0"));
        c.put("tie_word_embeddings", config.sharedClassifier());
        c.put("torch_dtype", "float32");
        c.put("use_cache", true);
        c.put("vocab_size", config.vocabSize());
        return PythonJson.object(c);
    }

    /**
     * generation_config.json: BOS 1, EOS 2, pad 0 and greedy. Note that run.c stops when it samples
     * BOS (1), which is how these models end a story; EOS 2 is what Hugging Face stops on.
     */
    public String generationConfigJson() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("pad_token_id", 0);
        c.put("do_sample", false);
        return PythonJson.object(c);
    }

    /**
     * The tensors as a Hugging Face {@code LlamaForCausalLM} state dict: HF names, {@code [out, in]}
     * matrices, q_proj and k_proj rows permuted inside each head for rotate_half RoPE, no
     * {@code lm_head.weight} when the classifier is shared. Every tensor reads as F32; version 2's
     * are dequantized ({@code q · scale} in float, as runq.c's {@code dequantize}). The view shares
     * this checkpoint's mapping: closing either closes both.
     */
    public Weights weights() {
        return new CheckpointWeights(this);
    }

    /**
     * Version 2 only: the int8 matrix of a linear layer under its HF name, rows in HF order (q_proj
     * and k_proj permuted like {@link #weights()}, their scales with them). The classifier runq.c
     * uses when it is shared is the quantized token embedding, {@code model.embed_tokens.weight};
     * an unshared one is {@code lm_head.weight}. Empty for norms and for versions 0 and 1.
     */
    public Optional<Q8Matrix> quantized(String hfName) {
        Entry e = entry(hfName);
        if (!e.q8()) {
            return Optional.empty();
        }
        int rows = e.rows();
        int cols = e.cols();
        int gs = config.groupSize();
        int count = arrayLength(e);
        byte[] values = new byte[count];   // [rows, cols]
        float[] scales = new float[count / gs];  // [rows, cols / gs]
        MemorySegment.copy(segment(), ValueLayout.JAVA_BYTE, e.offset(), values, 0, count);
        MemorySegment.copy(segment(), F32, e.scalesOffset(), scales, 0, scales.length);
        for (int i = 0; i < scales.length; i++) {
            if (!Float.isFinite(scales[i])) {
                throw new ModelFormatException(where + ": tensor '" + hfName + "' scale " + i + " (row "
                        + i / (cols / gs) + ") is " + scales[i] + ", expected a finite number");
            }
        }
        if (e.permuteHeads() > 0) {
            values = RopeLayout.toRotateHalf(values, rows, cols, e.permuteHeads());
            scales = RopeLayout.toRotateHalf(scales, rows, cols / gs, e.permuteHeads());
        }
        return Optional.of(Q8Matrix.of(values, scales, rows, cols, gs));
    }

    /** The tensor as f32 in HF layout (see {@link #weights()}). */
    float[] floats(String name) {
        Entry e = entry(name);
        if (e.q8()) {
            return quantized(name).orElseThrow().dequantize();
        }
        float[] out = new float[arrayLength(e)];
        MemorySegment.copy(segment(), F32, e.offset(), out, 0, out.length);
        return e.permuteHeads() > 0 ? RopeLayout.toRotateHalf(out, e.rows(), e.cols(), e.permuteHeads()) : out;
    }

    SortedMap<String, Entry> entries() {
        return entries;
    }

    Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new ModelFormatException(where + ": no tensor '" + name + "' among the " + entries.size()
                    + " tensors of this version " + config.version() + " checkpoint");
        }
        return e;
    }

    private int arrayLength(Entry e) {
        if (e.count() > MAX_ARRAY) {
            throw new ModelFormatException(where + ": tensor '" + e.name() + "' has " + e.count()
                    + " elements, more than one Java array holds (" + MAX_ARRAY + ")");
        }
        return (int) e.count();
    }

    private MemorySegment segment() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("llama2.c checkpoint " + where + " is closed");
        }
        return file;
    }

    /** Unmaps the file; later reads (also through {@link #weights()}) throw {@link IllegalStateException}. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "Llama2cCheckpoint[" + where + ", " + config.describe() + "]";
    }
}
