package dev.spotlight.models;

import dev.spotlight.models.bert.BertEncoder;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.pooling.SentencePooling;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.Truncation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A loaded text encoder with its tokenizer: text in, hidden states, attention and sentence
 * embeddings out. Build one with {@link Spotlight#load}. Thread-safe; close it when done.
 */
public final class EncoderModel implements AutoCloseable {
    /** Texts per forward pass in {@link #embed}: packing makes the batch's shape irrelevant to cost. */
    private static final int EMBED_CHUNK = 64;

    private final String name;
    private final Tokenizer tokenizer;
    private final BertEncoder encoder;
    private final SentencePooling pooling;
    private final EncodeOptions options;

    private EncoderModel(String name, Tokenizer tokenizer, BertEncoder encoder, SentencePooling pooling) {
        this.name = name;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.pooling = pooling;
        this.options = defaultOptions(tokenizer, encoder.maxSequenceLength());
    }

    /** Builds the model and closes {@code files}: every tensor is copied and packed at load. */
    public static EncoderModel from(ModelFiles files) {
        try (files) {
            Tokenizer tokenizer = Tokenizer.fromJson(new String(files.tokenizerJson(), StandardCharsets.UTF_8),
                    files.source() + " tokenizer.json");
            BertEncoder encoder = BertEncoder.load(files.encoderConfig(), files.weights());
            SentencePooling pooling = new SentencePooling(SentencePooling.Mode.parse(files.pooling()), files.normalize());
            return new EncoderModel(files.name(), tokenizer, encoder, pooling);
        }
    }

    public String name() {
        return name;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ModelConfig config() {
        return encoder.config();
    }

    public SentencePooling pooling() {
        return pooling;
    }

    /** This model (weights shared) making sentence embeddings with {@code other} pooling instead of its own. */
    public EncoderModel withPooling(SentencePooling other) {
        return new EncoderModel(name, tokenizer, encoder, other);
    }

    /** The most tokens one sequence may have (special tokens included): the model's position table. */
    public int maxSequenceLength() {
        return encoder.maxSequenceLength();
    }

    /** Options used for model inputs: the tokenizer's own, truncated to what the model can take, padded to the batch's longest. */
    public EncodeOptions options() {
        return options;
    }

    /** One sentence embedding per text, pooled and normalised as {@link #pooling()} says. */
    public float[][] embed(List<String> texts) {
        return embed(texts, i -> { });
    }

    /**
     * {@link #embed(List)}, telling {@code truncated} the index of every text longer than the model
     * takes: its tokens past {@code options().truncation().maxLength()} do not count in its embedding.
     */
    public float[][] embed(List<String> texts, IntConsumer truncated) {
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += EMBED_CHUNK) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + EMBED_CHUNK));
            List<Encoding> encodings = tokenizer.encodeBatch(chunk, options);
            for (int i = 0; i < encodings.size(); i++) {
                if (!encodings.get(i).overflowing().isEmpty()) {
                    truncated.accept(from + i);
                }
            }
            EncoderOutput output = forward(encodings, Capture.NONE);
            float[][] pooled = pool(output);
            System.arraycopy(pooled, 0, out, from, pooled.length);
        }
        return out;
    }

    public float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    /** Tokenizes and runs the encoder, keeping what {@code capture} asks for. */
    public Encoded encode(List<String> texts, Capture capture) {
        return encode(texts, null, options, capture);
    }

    /**
     * Tokenizes texts (with their pair texts when {@code pairs} is not null) under {@code options}
     * (e.g. {@code options().withPadding(…)} for left padding) and runs the encoder.
     */
    public Encoded encode(List<String> texts, List<String> pairs, EncodeOptions options, Capture capture) {
        List<Encoding> encodings = pairs == null ? tokenizer.encodeBatch(texts, options)
                : tokenizer.encodeBatch(texts, pairs, options);
        return new Encoded(encodings, forward(encodings, capture));
    }

    /** Runs the encoder on an already padded batch; only tokens whose attention mask is 1 are computed. */
    public EncoderOutput forward(List<Encoding> encodings, Capture capture) {
        return encoder.forward(PackedBatch.of(encodings), capture);
    }

    /** Runs the encoder on packed real tokens, e.g. a server's coalesced requests ({@link PackedBatch#ofSeparate}). */
    public EncoderOutput forward(PackedBatch batch, Capture capture) {
        return encoder.forward(batch, capture);
    }

    /** Sentence embeddings of every sequence in {@code output}, [batch][hidden]. */
    public float[][] pool(EncoderOutput output) {
        PackedBatch batch = output.batch();
        float[][] out = new float[batch.batchSize()][];
        for (int s = 0; s < out.length; s++) {
            out[s] = pooling.pool(output.lastHidden(), batch.cuSeqLens()[s], batch.length(s), output.hidden());
        }
        return out;
    }

    /** A batch's encodings with what the encoder computed for them. */
    public record Encoded(List<Encoding> encodings, EncoderOutput output) {
        public List<List<String>> tokens() {
            List<List<String>> out = new ArrayList<>();
            for (Encoding e : encodings) {
                out.add(e.tokens());
            }
            return out;
        }
    }

    @Override
    public void close() {
        // Weights were copied and packed at load and the source file closed then; nothing is held
        // off-heap now. Kept AutoCloseable so later formats that keep weights mapped fit the same use.
    }

    private static EncodeOptions defaultOptions(Tokenizer tokenizer, int longest) {
        EncodeOptions defaults = tokenizer.defaults();
        Truncation truncation = defaults.truncation();
        if (truncation == null || truncation.maxLength() > longest) {
            truncation = Truncation.of(longest);
        }
        // Pad to the batch's longest only: packing skips padding anyway, and a fixed length (MiniLM's
        // file pads every text to 128) would only make the rectangles callers see larger.
        Padding p = defaults.padding();
        Padding padding = p == null ? Padding.batchLongest() : p.withFixed(Padding.BATCH_LONGEST);
        return new EncodeOptions(true, padding, truncation);
    }
}
