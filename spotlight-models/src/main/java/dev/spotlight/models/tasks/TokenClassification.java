package dev.spotlight.models.tasks;

import dev.spotlight.models.Capture;
import dev.spotlight.tokenizers.Encoding;
import java.util.ArrayList;
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

    /** {@code aggregation_strategy} and {@code ignore_labels} (Python's default ignores "O"). */
    public record Options(Aggregation aggregation, List<String> ignoreLabels) {
        public static final Options DEFAULTS = new Options(Aggregation.NONE, List.of("O"));

        public Options {
            ignoreLabels = List.copyOf(ignoreLabels);
        }

        public Options withAggregation(Aggregation a) {
            return new Options(a, ignoreLabels);
        }

        public Options withIgnoreLabels(List<String> labels) {
            return new Options(aggregation, labels);
        }
    }

    /**
     * One token (aggregation none: {@code label} is Python's "entity", {@code index} its token index)
     * or one entity group (else: {@code label} is "entity_group", {@code index} -1).
     *
     * @param start  code point offset of the first character in the text
     * @param end    code point offset after the last character
     * @param tokens indices into the encoding of every token it covers
     */
    public record Entity(String label, double score, String word, int start, int end, int index, List<Integer> tokens) {
        public boolean grouped() {
            return index < 0;
        }
    }

    /** The entities of one text, and the forward pass they came from (sequence {@code sequence} of it; attention when captured). */
    public record Result(String text, List<Entity> entities, TaskModel.Run run, int sequence) {
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
     * Every text is tokenized alone (truncated at the model's length, as Python's pipeline does); up to
     * {@link TaskModel#BATCH} texts per forward pass.
     */
    public List<Result> classify(List<String> texts, Options options, Capture capture) {
        Inputs.requireNonEmpty(texts, "texts");
        List<Result> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += TaskModel.BATCH) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + TaskModel.BATCH));
            List<Encoding> encodings = new ArrayList<>(chunk.size());
            for (String text : chunk) {
                encodings.add(model.tokenizer().encode(text, null, model.options()));
            }
            TaskModel.Run run = model.run(encodings, capture);
            for (int s = 0; s < chunk.size(); s++) {
                Encoding e = encodings.get(s);
                float[][] logits = new float[e.length()][]; // [tokens, labels]
                for (int t = 0; t < e.length(); t++) {
                    logits[t] = run.logits(s, t);
                }
                out.add(new Result(chunk.get(s), entities(chunk.get(s), e, logits, options), run, s));
            }
        }
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
