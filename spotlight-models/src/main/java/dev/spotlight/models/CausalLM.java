package dev.spotlight.models;

import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.decoder.Decoder;
import dev.spotlight.models.decoder.DecoderBatch;
import dev.spotlight.models.decoder.DecoderOutput;
import dev.spotlight.models.decoder.Generator;
import dev.spotlight.models.decoder.KvCache;
import dev.spotlight.models.decoder.Logits;
import dev.spotlight.models.gpt2.Gpt2Decoder;
import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.llama.LlamaDecoder;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded decoder-only language model with its tokenizer: text in, logits, generated text and the
 * attention of every token out. Build one with {@link Spotlight#causalLM}. Thread-safe; close it when
 * done.
 */
public final class CausalLM implements AutoCloseable {
    private final String name;
    private final Tokenizer tokenizer;
    private final Decoder decoder;
    private final KvCache cache;
    private final byte[] generationConfigJson;
    private final String source;

    private CausalLM(String name, Tokenizer tokenizer, Decoder decoder, byte[] generationConfigJson, String source) {
        this.name = name;
        this.tokenizer = tokenizer;
        this.decoder = decoder;
        this.generationConfigJson = generationConfigJson;
        this.source = source;
        this.cache = decoder.newCache(cacheBudget());
    }

    /** Builds the model by its config.json's model_type and closes {@code files}. */
    public static CausalLM from(ModelFiles files) {
        try (files) {
            if (!(files.config() instanceof DecoderConfig config)) {
                throw new ModelFormatException(files.source() + ": model_type \"" + files.config().modelType()
                        + "\" is an encoder, not a causal language model: use Spotlight.load (embeddings) instead");
            }
            Tokenizer tokenizer = Tokenizer.fromJson(new String(files.tokenizerJson(), StandardCharsets.UTF_8),
                    files.source() + " tokenizer.json");
            Decoder decoder = switch (config.family()) {
                case LLAMA -> LlamaDecoder.load(config, files.weights());
                case GPT2 -> Gpt2Decoder.load(config, files.weights());
            };
            return new CausalLM(files.name(), tokenizer, decoder, files.generationConfigJson(), files.source());
        }
    }

    public String name() {
        return name;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public DecoderConfig config() {
        return decoder.config();
    }

    public Decoder decoder() {
        return decoder;
    }

    /** The KV cache every generation of this model draws from, bounded by the free heap at load. */
    public KvCache cache() {
        return cache;
    }

    /** generation_config.json as the model folder has it, or null. */
    public byte[] generationConfigJson() {
        return generationConfigJson;
    }

    public String source() {
        return source;
    }

    /**
     * The prompt's token ids as the model's tokenizer makes them: its post-processor adds BOS where the
     * model wants it; no padding or truncation (a prompt too long for the context fails when it runs).
     */
    public int[] encode(String text) {
        return tokenizer.encode(text, null, new EncodeOptions(true, null, null)).ids();
    }

    /**
     * The logits after every token of each sequence, [sequence] → [length, vocab]: row t scores the
     * token that follows token t. All sequences run together in one packed pass.
     */
    public float[][] logits(List<int[]> sequences) {
        List<KvCache.Slot> slots = new ArrayList<>();
        try {
            for (int[] s : sequences) {
                slots.add(cache.open(s.length));
            }
            DecoderBatch batch = DecoderBatch.of(sequences);
            DecoderOutput out = decoder.forward(batch, slots, Logits.ALL, false);
            int vocab = config().vocabSize();
            float[][] result = new float[sequences.size()][];
            for (int s = 0; s < result.length; s++) {
                result[s] = new float[batch.length(s) * vocab];
                System.arraycopy(out.logits(), batch.cuSeqLens()[s] * vocab, result[s], 0, result[s].length);
            }
            return result;
        } finally {
            slots.forEach(KvCache.Slot::close);
        }
    }

    /** Runs the batched generation loop with one policy per prompt; see {@link Generator#run}. */
    public List<Generator.Result> generate(List<int[]> prompts, List<Generator.Policy> policies, boolean capture,
                                           Generator.Listener listener) {
        return new Generator(decoder, cache).run(prompts, policies, capture, listener);
    }

    @Override
    public void close() {
        // Weights were copied and packed at load, and the files closed then; the cache holds only
        // what live generations hold, and they release it when they end.
    }

    /** Three quarters of the heap left after loading: the rest stays for activations. */
    private static long cacheBudget() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return Math.max(16L << 20, (rt.maxMemory() - used) / 4 * 3);
    }
}
