package dev.spotlight.models.tasks;

import dev.spotlight.models.Capture;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Truncation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Masked-word filling with the semantics of transformers' {@code FillMaskPipeline}: softmax over the
 * vocabulary at each mask token, restricted to {@code targets} when given (a target not in the
 * vocabulary is tokenized and its first token used; one with no token is skipped), the {@code top_k}
 * best (capped at the number of targets), each with the decoded token and the decoded sequence
 * (special tokens skipped when the input has a single mask). Ties go to the lower token id.
 */
public final class FillMask {
    /** @param targets null for the whole vocabulary */
    public record Options(int topK, List<String> targets) {
        public static final Options DEFAULTS = new Options(5, null);

        public Options {
            if (topK < 1) {
                throw new IllegalArgumentException("top_k " + topK + " is less than 1");
            }
            targets = targets == null ? null : List.copyOf(targets);
        }
    }

    /** One proposal for a mask: {@code sequence} is the input with it filled in. */
    public record Fill(double score, int token, String tokenStr, String sequence) {
    }

    /** Per mask token of the input (in order) its proposals, best first; {@code maskTokens} are their indices in the encoding. */
    public record Result(String text, List<List<Fill>> masks, List<Integer> maskTokens, TaskModel.Run run) {
    }

    private final TaskModel model;

    public FillMask(TaskModel model) {
        if (model.task() != Task.MASKED_LM) {
            throw new IllegalArgumentException(model.name() + " is a " + model.task().description()
                    + " model, expected …ForMaskedLM");
        }
        if (!model.settings().hasMask()) {
            throw new IllegalArgumentException(model.name() + ": the tokenizer defines no mask token (tokenizer_config.json mask_token)");
        }
        this.model = model;
    }

    public Result fill(String text, Options options, Capture capture) {
        if (text == null) {
            throw new IllegalArgumentException("no text given: fill-mask needs a text with " + model.settings().maskToken());
        }
        Encoding encoding = model.tokenizer().encode(text, null, model.options());
        List<Integer> masks = new ArrayList<>();
        for (int t = 0; t < encoding.length(); t++) {
            if (encoding.id(t) == model.settings().maskId()) {
                masks.add(t);
            }
        }
        if (masks.isEmpty()) {
            throw new IllegalArgumentException("no mask token (" + model.settings().maskToken() + ") found in the input \""
                    + abbreviate(text) + "\"");
        }
        int[] targets = options.targets() == null ? null : targetIds(options.targets());
        TaskModel.Run run = model.run(List.of(encoding), capture);
        List<List<Fill>> out = new ArrayList<>();
        for (int mask : masks) {
            double[] probs = TokenClassification.softmax(model.maskedLmLogits(run, 0, mask));
            out.add(proposals(encoding.ids(), mask, probs, targets, options.topK(), masks.size() == 1));
        }
        return new Result(text, List.copyOf(out), List.copyOf(masks), run);
    }

    List<Fill> proposals(int[] ids, int mask, double[] probs, int[] targets, int topK, boolean singleMask) {
        int[] candidates = targets;
        if (candidates == null) {
            candidates = new int[probs.length];
            for (int i = 0; i < probs.length; i++) {
                candidates[i] = i;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int c : candidates) {
            order.add(c);
        }
        order.sort(Comparator.comparingDouble((Integer c) -> probs[c]).reversed().thenComparingInt(c -> c));
        List<Fill> out = new ArrayList<>();
        for (int token : order.subList(0, Math.min(topK, order.size()))) {
            int[] filled = ids.clone();
            filled[mask] = token;
            int[] kept = java.util.Arrays.stream(filled).filter(id -> id != model.settings().padId()).toArray();
            out.add(new Fill(probs[token], token, decode(new int[] {token}, false), decode(kept, singleMask)));
        }
        return List.copyOf(out);
    }

    /** get_target_ids: the vocabulary's id, else the first token of the target tokenized alone; duplicates once. */
    int[] targetIds(List<String> targets) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String target : targets) {
            OptionalInt id = model.tokenizer().tokenToId(target);
            if (id.isPresent()) {
                ids.add(id.getAsInt());
                continue;
            }
            Encoding e = model.tokenizer().encode(target, null, new EncodeOptions(false, null, Truncation.of(1)));
            if (e.length() > 0) {
                ids.add(e.id(0));
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("none of the targets " + targets + " has a token in the vocabulary: give at least one that does");
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Python's tokenizer.decode: the Rust decode, then clean_up_tokenization when tokenizer_config.json asks for it. */
    private String decode(int[] ids, boolean skipSpecial) {
        String text = model.tokenizer().decode(ids, skipSpecial);
        return model.settings().cleanUpTokenizationSpaces() ? cleanUp(text) : text;
    }

    /** transformers' clean_up_tokenization: spaces before punctuation and English contractions removed. */
    static String cleanUp(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
