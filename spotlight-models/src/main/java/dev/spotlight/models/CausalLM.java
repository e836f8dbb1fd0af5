package dev.spotlight.models;

import dev.spotlight.models.chat.ChatMessage;
import dev.spotlight.models.chat.ChatTemplates;
import dev.spotlight.models.config.DecoderConfig;
import dev.spotlight.models.decoder.Decoder;
import dev.spotlight.models.generation.GenerationConfig;
import dev.spotlight.models.generation.GenerationOptions;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.models.generation.GenerationSettings;
import dev.spotlight.models.generation.SequencePolicy;
import dev.spotlight.models.decoder.DecoderBatch;
import dev.spotlight.models.decoder.DecoderOutput;
import dev.spotlight.models.decoder.Generator;
import dev.spotlight.models.decoder.KvCache;
import dev.spotlight.models.decoder.Logits;
import dev.spotlight.models.gpt2.Gpt2Decoder;
import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.weights.FiniteWeights;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.models.llama.LlamaDecoder;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded decoder-only language model with its tokenizer: text in, logits, generated text and the
 * attention of every token out. Build one with {@link Spotlight#causalLM}. Thread-safe; close it when
 * done.
 */
public final class CausalLM implements AutoCloseable {
    /** The largest chat_template.jinja read; real templates are a few kB. */
    private static final long MAX_TEMPLATE_BYTES = 1 << 20;

    private final String name;
    private final Tokenizer tokenizer;
    private final Decoder decoder;
    private final KvCache cache;
    private final GenerationConfig generationConfig;
    private final String source;
    private final ChatTemplates chatTemplates;

    private CausalLM(String name, Tokenizer tokenizer, Decoder decoder, GenerationConfig generationConfig, String source,
                     ChatTemplates chatTemplates, long cacheBytes) {
        this.name = name;
        this.tokenizer = tokenizer;
        this.decoder = decoder;
        this.generationConfig = generationConfig;
        this.source = source;
        this.chatTemplates = chatTemplates;
        this.cache = decoder.newCache(cacheBytes);
    }

    /**
     * The same model (weights, tokenizer and templates shared, nothing copied) whose generations draw
     * from a KV cache of at most {@code budgetBytes}, e.g. to bound what a server's generations hold.
     */
    public CausalLM withCacheBudget(long budgetBytes) {
        if (budgetBytes < 1) {
            throw new IllegalArgumentException("a KV cache budget of " + budgetBytes + " bytes: expected at least 1");
        }
        return new CausalLM(name, tokenizer, decoder, generationConfig, source, chatTemplates, budgetBytes);
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
            Weights weights = FiniteWeights.of(files.weights());   // a NaN weight is refused at load, by tensor
            Decoder decoder = switch (config.family()) {
                case LLAMA -> LlamaDecoder.load(config, weights);
                case GPT2 -> Gpt2Decoder.load(config, weights);
            };
            GenerationConfig generation = GenerationConfig.parse(files.generationConfigJson(),
                    files.source() + " generation_config.json", files.configJson(), files.source() + " config.json");
            ChatTemplates chat = ChatTemplates.load(files.tokenizerConfigJson(), chatTemplateFile(files.source()), files.name());
            return new CausalLM(files.name(), tokenizer, decoder, generation, files.source(), chat, cacheBudget());
        }
    }

    /** A folder's chat_template.jinja (transformers saves templates there since 4.47 and prefers it), or null. */
    private static String chatTemplateFile(String source) {
        Path file;
        try {
            file = Path.of(source).resolve("chat_template.jinja");
        } catch (RuntimeException e) {
            return null;  // a jar resource or another non-path source
        }
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            if (Files.size(file) > MAX_TEMPLATE_BYTES) {
                throw new ModelFormatException(file + ": " + Files.size(file) + " bytes, more than the " + MAX_TEMPLATE_BYTES
                        + " a chat template may have");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
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

    /** The model's generation defaults: generation_config.json, else config.json's generation keys. */
    public GenerationConfig generationConfig() {
        return generationConfig;
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

    /** Whether tokenizer_config.json (or chat_template.jinja) has a chat template, usable or not. */
    public boolean hasChatTemplate() {
        return !chatTemplates.isEmpty();
    }

    /** The model's chat templates and the special tokens transformers renders them with. */
    public ChatTemplates chatTemplates() {
        return chatTemplates;
    }

    /**
     * The prompt text for a conversation, as transformers' {@code apply_chat_template(messages,
     * add_generation_prompt=…, tokenize=False)} renders it with this model's template.
     *
     * @throws ModelException one line: no template, a template this renderer refuses, or the template
     *                        rejecting the conversation (its raise_exception message)
     */
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return applyChatTemplate(messages, null, addGenerationPrompt, Map.of());
    }

    /**
     * As {@link #applyChatTemplate(List, boolean)} with tools (JSON-schema function descriptions, null for
     * none) and further template variables such as {@code enable_thinking}.
     */
    public String applyChatTemplate(List<ChatMessage> messages, List<?> tools, boolean addGenerationPrompt,
                                    Map<String, ?> variables) {
        return chatTemplates.render(messages, tools, addGenerationPrompt, variables, Clock.systemDefaultZone());
    }

    /**
     * A rendered chat prompt's token ids. No special tokens are added: the template wrote BOS itself, and
     * transformers' apply_chat_template(tokenize=True) tokenizes with add_special_tokens=False.
     */
    public int[] encodeChatPrompt(String renderedPrompt) {
        return tokenizer.encode(renderedPrompt, null, new EncodeOptions(false, null, null)).ids();
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

    /** Generates a continuation of every prompt with the model's defaults overridden by {@code options}. */
    public List<GenerationResult> generate(List<String> prompts, GenerationOptions options) {
        return generate(prompts, options, false, null).stream().map(Generation::result).toList();
    }

    /**
     * Generates a continuation of every prompt, all together in packed batches; each result is what
     * generating that prompt alone gives (same seed, same tokens).
     *
     * @param capture  also return each sequence's attention over its prompt and generated tokens
     * @param listener told each sequence's new text as it is generated (may be null)
     */
    public List<Generation> generate(List<String> prompts, GenerationOptions options, boolean capture,
                                     SequencePolicy.TextListener listener) {
        return generateIds(prompts.stream().map(this::encode).toList(), options, capture, listener);
    }

    /**
     * As {@link #generate(List, GenerationOptions, boolean, SequencePolicy.TextListener)} from token ids, such as
     * a chat prompt's ({@link #encodeChatPrompt}), which must not get a second BOS.
     */
    public List<Generation> generateIds(List<int[]> ids, GenerationOptions options, boolean capture,
                                        SequencePolicy.TextListener listener) {
        GenerationSettings settings = GenerationSettings.resolve(generationConfig, options);
        List<SequencePolicy> policies = new ArrayList<>();
        for (int s = 0; s < ids.size(); s++) {
            policies.add(new SequencePolicy(s, ids.get(s), settings, tokenizer, config().maxPositions(), listener));
        }
        List<Generator.Result> raw = generate(ids, List.copyOf(policies), capture, null);
        List<Generation> out = new ArrayList<>();
        for (int s = 0; s < raw.size(); s++) {
            out.add(new Generation(policies.get(s).result(raw.get(s).generated()), raw.get(s).attentions()));
        }
        return out;
    }

    /**
     * One prompt's outcome.
     *
     * @param attentions null unless captured: [layer] → [heads, n, n] over the n prompt and generated
     *                   tokens; row i is what token i attended to (token i + 1 was chosen from row i)
     */
    public record Generation(GenerationResult result, float[][] attentions) {
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

    /**
     * Three quarters of the heap left after loading: the rest stays for activations. Loading leaves
     * the files' copies as garbage, so the heap is measured after a collection unless half of it is
     * already seen free.
     */
    private static long cacheBudget() {
        return Math.max(16L << 20, FreeHeap.bytes(Runtime.getRuntime().maxMemory() / 2) / 4 * 3);
    }
}
