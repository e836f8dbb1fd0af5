package dev.spotlight.models.tasks;

import dev.spotlight.models.Capture;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Truncation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Named entities and other per-token labels, with the semantics of transformers'
 * {@code TokenClassificationPipeline}: softmax per token, special tokens skipped, sub-words told
 * apart as Python does (a WordPiece-style {@code continuing_subword_prefix} makes a token a
 * sub-word when its string is longer or shorter than its text; otherwise a token not preceded by a
 * space is one), the aggregation strategies none / simple / first / average / max, B-/I- grouping
 * and {@code ignore_labels} applied to the result. Offsets are Unicode code points of the input,
 * as Python's string indices are.
 *
 * <p>With a {@code stride}, a text longer than the model is split as Python's fast tokenizer splits it
 * ({@code return_overflowing_tokens}: windows of the model's length, each repeating the last
 * {@code stride} tokens of the one before, over the whole text as tokenizers up to 0.22.2 cut them;
 * see {@link dev.spotlight.tokenizers.Tokenizer#encodeWholeText}), every window is post-processed on
 * its own (ignore_labels included), and when there are several windows their entities are merged as
 * {@code aggregate_overlapping_entities} does: sorted by start (stably), an entity starting inside the
 * one kept before it replaces that one only when it is longer, or as long with a higher score.
 */
public final class TokenClassification {
    /** {@code aggregation_strategy}. */
    public enum Aggregation {
        NONE, SIMPLE, FIRST, AVERAGE, MAX;

        public static Aggregation parse(String value) {
            for (Aggregation a : values()) {
                if (a.name().equalsIgnoreCase(value)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("aggregation strategy '" + value + "' is not one of none, simple, first, average, max");
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code aggregation_strategy}, {@code ignore_labels} (Python's default ignores "O") and {@code stride}.
     *
     * @param stride tokens each overflow window repeats from the one before; null: no windows, a long
     *               text is truncated (Python's default). Python refuses it with aggregation "none", and so
     *               does this record.
     */
    public record Options(Aggregation aggregation, List<String> ignoreLabels, Integer stride) {
        public static final Options DEFAULTS = new Options(Aggregation.NONE, List.of("O"));

        public Options {
            ignoreLabels = List.copyOf(ignoreLabels);
            if (stride != null && stride < 0) {
                throw new IllegalArgumentException("stride " + stride + " is negative, expected 0 or more tokens");
            }
            if (stride != null && aggregation == Aggregation.NONE) {
                throw new IllegalArgumentException("stride " + stride + " needs an aggregation strategy: transformers refuses"
                        + " stride with aggregation_strategy \"none\" (choose simple, first, average or max)");
            }
        }

        public Options(Aggregation aggregation, List<String> ignoreLabels) {
            this(aggregation, ignoreLabels, null);
        }

        public Options withAggregation(Aggregation a) {
            return new Options(a, ignoreLabels, stride);
        }

        public Options withIgnoreLabels(List<String> labels) {
            return new Options(aggregation, labels, stride);
        }

        public Options withStride(Integer tokens) {
            return new Options(aggregation, ignoreLabels, tokens);
        }
    }

    /**
     * One token (aggregation none: {@code label} is Python's "entity", {@code index} its token index)
     * or one entity group (else: {@code label} is "entity_group", {@code index} -1).
     *
     * @param start  code point offset of the first character in the text
     * @param end    code point offset after the last character
     * @param tokens indices into the encoding of every token it covers (of its window's encoding)
     * @param window which overflow window of the text it came from: 0 without a stride
     */
    public record Entity(String label, double score, String word, int start, int end, int index, List<Integer> tokens,
                         int window) {
        public boolean grouped() {
            return index < 0;
        }

        Entity inWindow(int w) {
            return new Entity(label, score, word, start, end, index, tokens, w);
        }
    }

    /**
     * The entities of one text and its windows (one without a stride), each with the forward pass it
     * went through (attention when captured); {@link Entity#window()} indexes {@code windows}.
     */
    public record Result(String text, List<Entity> entities, List<TaskModel.Window> windows) {
        public Result {
            windows = List.copyOf(windows);
        }

        /** The forward pass of the first window: the only one without a stride. */
        public TaskModel.Run run() {
            return windows.getFirst().run();
        }

        /** The first window's sequence in {@link #run()}. */
        public int sequence() {
            return windows.getFirst().sequence();
        }
    }

    private final TaskModel model;

    public TokenClassification(TaskModel model) {
        if (model.task() != Task.TOKEN_CLASSIFICATION) {
            throw new IllegalArgumentException(model.name() + " is a " + model.task().description()
                    + " model, expected …ForTokenClassification");
        }
        this.model = model;
    }

    public List<Entity> classify(String text, Options options) {
        return classify(List.of(text), options, Capture.NONE).getFirst().entities();
    }

    /**
     * Every text is tokenized alone (truncated at the model's length, as Python's pipeline does, or cut
     * into overflow windows with a stride); up to {@link TaskModel#BATCH} windows per forward pass, in
     * order, so a text with more windows than that spans several passes.
     */
    public List<Result> classify(List<String> texts, Options options, Capture capture) {
        Inputs.requireNonEmpty(texts, "texts");
        List<Result> out = new ArrayList<>(texts.size());
        List<Slot> batch = new ArrayList<>(TaskModel.BATCH);
        List<Text> open = new ArrayList<>();
        for (String text : texts) {
            Text t = new Text(text, windows(text, options));
            open.add(t);
            for (int w = 0; w < t.encodings.size(); w++) {
                batch.add(new Slot(t, w));
                if (batch.size() == TaskModel.BATCH) {
                    run(batch, capture);
                    finish(open, options, out);
                }
            }
        }
        run(batch, capture);
        finish(open, options, out);
        return out;
    }

    /** A text on its way through the forward passes: its windows, and per window the logits once run. */
    private static final class Text {
        final String text;
        final List<Encoding> encodings;
        final List<float[][]> logits = new ArrayList<>(); // per window [tokens, labels], in order
        final List<TaskModel.Window> windows = new ArrayList<>();

        Text(String text, List<Encoding> encodings) {
            this.text = text;
            this.encodings = encodings;
        }

        boolean done() {
            return windows.size() == encodings.size();
        }
    }

    private record Slot(Text text, int window) {
    }

    /** One forward pass over the queued windows; each gets its logits and its place in the pass. */
    private void run(List<Slot> batch, Capture capture) {
        if (batch.isEmpty()) {
            return;
        }
        TaskModel.Run run = model.run(batch.stream().map(s -> s.text().encodings.get(s.window())).toList(), capture);
        for (int i = 0; i < batch.size(); i++) {
            Text t = batch.get(i).text();
            Encoding e = t.encodings.get(batch.get(i).window());
            float[][] window = new float[e.length()][];
            for (int token = 0; token < e.length(); token++) {
                window[token] = run.logits(i, token);
            }
            t.logits.add(window);
            t.windows.add(new TaskModel.Window(run, i));
        }
        batch.clear();
    }

    /** The results of the texts whose every window has run, in input order. */
    private void finish(List<Text> open, Options options, List<Result> out) {
        while (!open.isEmpty() && open.getFirst().done()) {
            Text t = open.removeFirst();
            out.add(new Result(t.text, entities(t.text, t.encodings, t.logits, options), t.windows));
        }
    }

    /**
     * The model inputs of one text: its encoding truncated at the model's length, or with a stride every
     * overflow window over the whole text (Rust's windows, special tokens added to each).
     */
    public List<Encoding> windows(String text, Options options) {
        if (options.stride() == null) {
            return List.of(model.tokenizer().encode(text, null, model.options()));
        }
        int stride = options.stride();
        int special = model.tokenizer().postProcessor().map(p -> p.addedTokens(false)).orElse(0);
        int room = model.maxLength() - special;
        if (stride >= room) {
            throw new IllegalArgumentException("stride " + stride + " must be less than the " + room + " tokens each window"
                    + " holds (" + model.name() + "'s length " + model.maxLength() + " minus " + special + " special tokens)");
        }
        Truncation truncation = new Truncation(model.maxLength(), Truncation.Strategy.LongestFirst, Direction.Right, stride);
        // the whole text: tokenizers 0.23.1-0.23.2 would leave everything past max_length out of the windows
        Encoding first = model.tokenizer().encodeWholeText(text, new EncodeOptions(true, null, truncation));
        List<Encoding> out = new ArrayList<>();
        out.add(first);
        out.addAll(first.overflowing());
        return out;
    }

    /**
     * Python's postprocess over every window of one text: each window's entities (ignore_labels applied),
     * merged with {@link #mergeOverlapping} when there is more than one window.
     */
    List<Entity> entities(String text, List<Encoding> windows, List<float[][]> logits, Options options) {
        List<Entity> all = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            for (Entity e : entities(text, windows.get(w), logits.get(w), options)) {
                all.add(e.inWindow(w));
            }
        }
        return windows.size() > 1 ? mergeOverlapping(all) : all;
    }

    /**
     * aggregate_overlapping_entities: sorted by start (stable, as Python's sorted), each entity either
     * starts at or after the end of the one kept before it (which is then final) or starts inside it and
     * takes its place when longer, or as long with a strictly higher score. Faithful to the loop, which
     * compares the first entity with itself: an empty first span (start = end) is kept twice, as in Python.
     */
    static List<Entity> mergeOverlapping(List<Entity> entities) {
        if (entities.isEmpty()) {
            return entities;
        }
        List<Entity> sorted = new ArrayList<>(entities);
        sorted.sort(Comparator.comparingInt(Entity::start));
        List<Entity> out = new ArrayList<>();
        Entity previous = sorted.getFirst();
        for (Entity e : sorted) {
            if (previous.start() <= e.start() && e.start() < previous.end()) {
                int length = e.end() - e.start();
                int previousLength = previous.end() - previous.start();
                if (length > previousLength || length == previousLength && e.score() > previous.score()) {
                    previous = e;
                }
            } else {
                out.add(previous);
                previous = e;
            }
        }
        out.add(previous);
        return out;
    }

    /** The pipeline's post-processing on given logits [tokens, labels]: gather, aggregate, group, filter. */
    List<Entity> entities(String text, Encoding encoding, float[][] logits, Options options) {
        List<EntityGrouping.Token> tokens = gather(text, encoding, logits);
        EntityGrouping grouping = new EntityGrouping(model.labels(), model.tokenizer()::decodeTokens);
        List<Entity> all = grouping.aggregate(tokens, options.aggregation());
        List<Entity> kept = new ArrayList<>(all.size());
        for (Entity e : all) {
            if (!options.ignoreLabels().contains(e.label())) {
                kept.add(e);
            }
        }
        return kept;
    }

    /** Python's gather_pre_entities: one entry per non-special token with its scores, text span and sub-word flag. */
    private List<EntityGrouping.Token> gather(String text, Encoding encoding, float[][] logits) {
        boolean prefixed = model.tokenizer().model().continuingSubwordPrefix().filter(p -> !p.isEmpty()).isPresent();
        int[] special = encoding.specialTokensMask();
        int[] ids = encoding.ids();
        int[] points = text.codePoints().toArray();
        List<EntityGrouping.Token> out = new ArrayList<>();
        for (int t = 0; t < encoding.length(); t++) {
            if (special[t] == 1) {
                continue;
            }
            String word = model.tokenizer().idToToken(ids[t]).orElse(encoding.token(t));
            int start = encoding.start(t);
            int end = encoding.end(t);
            String wordRef = new String(points, start, end - start);
            boolean subword;
            if (prefixed) {
                subword = word.codePointCount(0, word.length()) != end - start;
            } else {
                // Python's fallback for tokenizers without word pieces: a token starts a word when the
                // character before it or its own first character is a space.
                subword = start > 0 && points[start - 1] != ' ' && (start >= points.length || points[start] != ' ');
            }
            if (ids[t] == model.settings().unkId()) {
                word = wordRef;
                subword = false;
            }
            out.add(new EntityGrouping.Token(t, word, softmax(logits[t]), start, end, subword));
        }
        return out;
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] out = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
