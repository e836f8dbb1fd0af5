package dev.spotlight.tokenizers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.PreTokenizedString.Split;
import dev.spotlight.tokenizers.decoders.Decoder;
import dev.spotlight.tokenizers.decoders.Decoders;
import dev.spotlight.tokenizers.models.Model;
import dev.spotlight.tokenizers.models.Models;
import dev.spotlight.tokenizers.models.Token;
import dev.spotlight.tokenizers.normalizers.Normalizer;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizer;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizers;
import dev.spotlight.tokenizers.processors.PostProcessor;
import dev.spotlight.tokenizers.processors.PostProcessors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * A tokenizer.json pipeline, exact to Hugging Face's Rust {@code Tokenizer}: added tokens cut out,
 * normalizer, pre-tokenizer, model, truncation, post-processor, padding; and the way back,
 * {@link #decode}. Immutable and thread-safe: padding and truncation are per-call
 * {@link EncodeOptions}, defaulting to the file's own blocks.
 */
public final class Tokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Large vocabularies (and merges) exceed Jackson's default string and nesting limits.
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(1000).build());
    }

    private final Model model;
    private final Normalizer normalizer;       // nullable
    private final PreTokenizer preTokenizer;   // nullable
    private final PostProcessor postProcessor; // nullable
    private final Decoder decoder;             // nullable: tokens joined by spaces
    private final AddedVocabulary added;
    private final EncodeOptions defaults;
    private final String source;               // the file, for errors about its padding and truncation blocks

    public Tokenizer(Model model, Normalizer normalizer, PreTokenizer preTokenizer, PostProcessor postProcessor,
                     Decoder decoder, List<AddedToken> addedTokens, Padding padding, Truncation truncation) {
        this(model, normalizer, preTokenizer, postProcessor, decoder, addedTokens, padding, truncation, "tokenizer");
    }

    private Tokenizer(Model model, Normalizer normalizer, PreTokenizer preTokenizer, PostProcessor postProcessor,
                      Decoder decoder, List<AddedToken> addedTokens, Padding padding, Truncation truncation, String source) {
        if (model == null) {
            throw new TokenizerException("a tokenizer needs a model");
        }
        this.model = model;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.postProcessor = postProcessor;
        this.decoder = decoder;
        this.added = new AddedVocabulary(addedTokens, model, normalizer);
        this.defaults = new EncodeOptions(true, padding, truncation);
        this.source = source;
    }

    public static Tokenizer fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TokenizerException(file + ": no such tokenizer file", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TokenizerException(file + ": not a tokenizer.json: the file is not UTF-8 text", e);
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(file + ": cannot read tokenizer file: " + e, e);
        }
        return fromJson(text, file.toString());
    }

    /** Loads tokenizer.json text; {@code sourceName} names it in error messages. */
    public static Tokenizer fromJson(String json, String sourceName) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TokenizerException(sourceName + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerException(sourceName + ": $: expected a JSON object, found " + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonView v = JsonView.root(root, sourceName);
        if (v.has("version") && !v.string("version").equals("1.0")) {
            throw v.get("version").error("Unknown tokenizer version '" + v.string("version") + "', expected '1.0'");
        }
        // The small blocks first, so that their errors come before the model's (often large) one is read.
        Padding padding = v.optional("padding").map(Padding::fromJson).orElse(null);
        Truncation truncation = v.optional("truncation").map(Truncation::fromJson).orElse(null);
        List<AddedToken> addedTokens = new ArrayList<>();
        v.optional("added_tokens").ifPresent(list -> list.elements().forEach(t -> addedTokens.add(AddedToken.fromJson(t))));
        PostProcessor postProcessor = v.optional("post_processor").map(PostProcessors::fromJson).orElse(null);
        Normalizer normalizer = v.optional("normalizer").map(Normalizers::fromJson).orElse(null);
        PreTokenizer preTokenizer = v.optional("pre_tokenizer").map(PreTokenizers::fromJson).orElse(null);
        Decoder decoder = v.optional("decoder").map(Decoders::fromJson).orElse(null);
        Model model = Models.fromJson(v.get("model"));
        return new Tokenizer(model, normalizer, preTokenizer, postProcessor, decoder, addedTokens, padding, truncation, sourceName);
    }

    /** Special tokens on, and the tokenizer.json's own padding and truncation. */
    public EncodeOptions defaults() {
        return defaults;
    }

    public Model model() {
        return model;
    }

    public AddedVocabulary addedVocabulary() {
        return added;
    }

    public Optional<PostProcessor> postProcessor() {
        return Optional.ofNullable(postProcessor);
    }

    public Encoding encode(String text) {
        return encode(text, null, defaults);
    }

    public Encoding encode(String text, String pair) {
        return encode(text, pair, defaults);
    }

    /** Encodes {@code text}, or the pair ({@code text}, {@code pair}) when {@code pair} is not null. */
    public Encoding encode(String text, String pair, EncodeOptions options) {
        return encode(text, pair, options, new HeapLimit.Budget());
    }

    /**
     * Encodes one {@code text} as {@link #encode(String, String, EncodeOptions)} does, except that every
     * token of it reaches the overflowing windows of a truncation: see {@link #encodeWholeText(String, String, EncodeOptions)}.
     */
    public Encoding encodeWholeText(String text, EncodeOptions options) {
        return encodeWholeText(text, null, options);
    }

    /**
     * Encodes {@code text}, or the pair ({@code text}, {@code pair}) when {@code pair} is not null, as
     * {@link #encode(String, String, EncodeOptions)} does, except that every token of both reaches the
     * overflowing windows of a truncation. tokenizers 0.23.1 and 0.23.2 stop tokenizing a sequence that
     * truncation may cut at max_length tokens (the early exit of huggingface/tokenizers#1990: both of a
     * longest_first pair, the second of only_second, both of only_first), which leaves the rest of a long
     * text out of the windows (huggingface/tokenizers#2091); up to 0.22.2, and with the fix under review
     * (#2098), all of it is tokenized and then cut, as a sliding window over a long text needs (a
     * question-answering context cut into {@code doc_stride} windows, each with the whole question).
     * Windows, special tokens, type ids, offsets and sequence ids are then exactly the Rust library's,
     * within the same memory bound as {@link #encode}'s.
     */
    public Encoding encodeWholeText(String text, String pair, EncodeOptions options) {
        Encoding first = encodeSequence(text, 0, null);
        Encoding second = pair == null ? null : encodeSequence(pair, 1, null);
        return postProcess(first, second, options, new HeapLimit.Budget());
    }

    private Encoding encode(String text, String pair, EncodeOptions options, HeapLimit.Budget budget) {
        Truncation t = options.truncation();
        Encoding first = encodeSequence(text, 0, t);
        Encoding second = pair == null ? null : encodeSequence(pair, 1, t);
        return postProcess(first, second, options, budget);
    }

    public List<Encoding> encodeBatch(List<String> texts) {
        return encodeBatch(texts, defaults);
    }

    /** Encodes every text on all cores; padding then spans the batch. Results do not depend on the thread count. */
    public List<Encoding> encodeBatch(List<String> texts, EncodeOptions options) {
        return encodeBatch(texts, null, options);
    }

    /** Encodes the pairs ({@code texts[i]}, {@code pairs[i]}) on all cores; {@code pairs} null encodes single texts. */
    public List<Encoding> encodeBatch(List<String> texts, List<String> pairs, EncodeOptions options) {
        if (pairs != null && pairs.size() != texts.size()) {
            throw new TokenizerException("encodeBatch: " + texts.size() + " texts but " + pairs.size() + " pairs");
        }
        HeapLimit.Budget budget = new HeapLimit.Budget();   // shared: the texts' windows and pads together stay bounded
        List<Encoding> out = IntStream.range(0, texts.size()).parallel()
                .mapToObj(i -> encode(texts.get(i), pairs == null ? null : pairs.get(i), options, budget))
                .toList();
        return options.padding() == null ? out : options.padding().apply(out, where(options.padding()), budget);
    }

    /** Names a padding or truncation block in errors: the file's own, or one given as an option. */
    private String where(Record block) {
        if (block.equals(defaults.padding())) {
            return source + ": $.padding";
        }
        if (block.equals(defaults.truncation())) {
            return source + ": $.truncation";
        }
        return block instanceof Padding ? "padding option" : "truncation option";
    }

    /**
     * Like setting {@code truncation} on a Rust tokenizer: the stride must leave room once the
     * single-sequence special tokens are counted. Call it for truncation given by a user.
     */
    public void checkTruncation(Truncation t) {
        int addedSingle = postProcessor == null ? 0 : postProcessor.addedTokens(false);
        int effective = t.maxLength() - addedSingle;
        if (effective >= 0 && effective < t.stride()) {
            throw new TokenizerException("tokenizer stride set to " + t.stride() + ", which is greater than or equal to its effective max length of "
                    + effective + " (= " + t.maxLength() + " original max length - " + addedSingle + " added special tokens)");
        }
    }

    // ---- one sequence: added tokens, normalizer, pre-tokenizer, model ----

    private Encoding encodeSequence(String text, int typeId, Truncation truncation) {
        PreTokenizedString pts = added.extractAndNormalize(normalizer, text);
        if (preTokenizer != null) {
            preTokenizer.preTokenize(pts);
        }
        List<Split> splits = pts.splits();
        int count = splits.size();
        List<List<Token>> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tokens.add(null);
        }
        int first = 0;
        int last = count;
        // Rust stops tokenizing once the splits already give max_length tokens (from the end
        // that truncation keeps), so tokens past that never reach the overflowing encodings.
        boolean limited = truncation != null && (truncation.strategy() != Truncation.Strategy.OnlySecond || typeId != 0);
        if (limited && truncation.direction() == Direction.Left) {
            int total = 0;
            first = count;
            for (int i = count - 1; i >= 0; i--) {
                first = i;
                total += tokenize(splits.get(i), tokens, i);
                if (splits.get(i).tokens() == null && total >= truncation.maxLength()) {
                    break;
                }
            }
        } else {
            int total = 0;
            last = 0;
            for (int i = 0; i < count; i++) {
                last = i + 1;
                total += tokenize(splits.get(i), tokens, i);
                if (limited && splits.get(i).tokens() == null && total >= truncation.maxLength()) {
                    break;
                }
            }
        }
        return toEncoding(text, splits, tokens, first, last, typeId);
    }

    private int tokenize(Split split, List<List<Token>> tokens, int i) {
        List<Token> t = split.tokens() != null ? split.tokens() : model.tokenize(split.normalized().normalized());
        tokens.set(i, t);
        return t.size();
    }

    /** Rust's {@code into_encoding}: offsets mapped back to the input, word id = index of the split. */
    private static Encoding toEncoding(String text, List<Split> splits, List<List<Token>> tokens, int first, int last, int typeId) {
        int n = 0;
        for (int i = first; i < last; i++) {
            n += tokens.get(i).size();
        }
        int[] ids = new int[n];
        String[] values = new String[n];
        int[] words = new int[n];
        int[] utf16 = new int[2 * n];  // [n, 2]
        int[] points = new int[2 * n]; // [n, 2]
        CharOffsets chars = new CharOffsets(text);
        int k = 0;
        for (int i = first; i < last; i++) {
            NormalizedString normalized = splits.get(i).normalized();
            for (Token t : tokens.get(i)) {
                int[] range = normalized.originalRange(t.start(), t.end());
                int start = range == null ? t.start() : range[0];
                int end = range == null ? t.end() : range[1];
                ids[k] = t.id();
                values[k] = t.value();
                words[k] = i - first;
                utf16[2 * k] = start;
                utf16[2 * k + 1] = end;
                chars.convert(start, end, points, 2 * k);
                k++;
            }
        }
        return new Encoding(ids, Encoding.filled(n, typeId), values, words, points, utf16, new int[n], Encoding.filled(n, 1),
                List.of(), new int[] {-1, -1, -1, -1});
    }

    // ---- truncation, post-processor, padding: Rust's post_process ----

    private Encoding postProcess(Encoding encoding, Encoding pair, EncodeOptions options, HeapLimit.Budget budget) {
        Truncation t = options.truncation();
        if (t != null) {
            int nAdded = postProcessor == null ? 0 : postProcessor.addedTokens(pair != null);
            int maxLength = t.maxLength();
            if (options.addSpecialTokens() && nAdded > 0) {
                // Rust subtracts in unsigned arithmetic: a max_length below the special tokens
                // wraps around to "no limit" in the released library.
                maxLength = maxLength >= nAdded ? maxLength - nAdded : Integer.MAX_VALUE;
            }
            List<Encoding> cut = t.apply(encoding, pair, maxLength, where(t), budget);
            encoding = cut.get(0);
            pair = cut.get(1);
            if (pair != null) {
                t.checkPairWindows(encoding, pair, options.addSpecialTokens() ? nAdded : 0, where(t), budget);
            }
        }
        Encoding result;
        if (postProcessor != null) {
            result = postProcessor.process(encoding, pair, options.addSpecialTokens());
        } else if (pair == null) {
            result = encoding;
        } else {
            result = Encoding.merge(List.of(encoding.withSequenceId(0), pair.withSequenceId(1)));
        }
        if (options.padding() != null) {
            result = options.padding().apply(List.of(result), where(options.padding()), budget).get(0);
        }
        return result;
    }

    // ---- decoding ----

    /** Rust's {@code decode}: ids to tokens (unknown ids dropped, special ones too when asked), then the decoder. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            String token = added.idToToken(id);
            if (token == null) {
                token = model.idToToken(id).orElse(null);
            }
            if (token != null && !(skipSpecialTokens && added.isSpecial(token))) {
                tokens.add(token);
            }
        }
        return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    }

    /**
     * The decoder alone on token strings (Python's {@code convert_tokens_to_string} of a fast
     * tokenizer); tokens joined by spaces when the tokenizer has no decoder.
     */
    public String decodeTokens(List<String> tokens) {
        return decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
    }

    public List<String> decodeBatch(List<int[]> batch, boolean skipSpecialTokens) {
        return batch.parallelStream().map(ids -> decode(ids, skipSpecialTokens)).toList();
    }

    /** The id of {@code token}: an added token first, then the model's vocabulary. */
    public OptionalInt tokenToId(String token) {
        Integer id = added.tokenToId(token);
        return id != null ? OptionalInt.of(id) : model.tokenToId(token);
    }

    public Optional<String> idToToken(int id) {
        String t = added.idToToken(id);
        return t != null ? Optional.of(t) : model.idToToken(id);
    }

    /** The model's vocabulary size, plus the added tokens it does not hold when {@code withAdded}. */
    public int vocabSize(boolean withAdded) {
        int n = model.vocabSize();
        if (withAdded) {
            for (String content : added.vocab().keySet()) {
                if (model.tokenToId(content).isEmpty()) {
                    n++;
                }
            }
        }
        return n;
    }
}
