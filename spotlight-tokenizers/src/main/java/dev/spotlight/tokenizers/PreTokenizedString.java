package dev.spotlight.tokenizers;

import dev.spotlight.tokenizers.models.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The input cut into pieces that a model tokenizes separately, each piece a
 * {@link NormalizedString} still aligned to the whole input: Hugging Face's
 * {@code PreTokenizedString}. Pieces that already carry tokens (added tokens) are left alone by
 * every later split, normalization and tokenization.
 */
public final class PreTokenizedString {

    /** One piece and, once tokenized, its tokens (offsets into {@code normalized.normalized()}). */
    public record Split(NormalizedString normalized, List<Token> tokens) {
        public static Split of(NormalizedString n) {
            return new Split(n, null);
        }
    }

    /** A piece as Hugging Face's {@code get_splits(Original, ...)} reports it: text and input range (UTF-16). */
    public record Piece(String text, int start, int end) {
    }

    private final String original;
    private List<Split> splits;

    /** One split: the whole input. */
    public PreTokenizedString(String input) {
        this(new NormalizedString(input));
    }

    /** One split: an already normalized input. */
    public PreTokenizedString(NormalizedString normalized) {
        this.original = normalized.original();
        this.splits = new ArrayList<>(1);
        this.splits.add(Split.of(normalized));
    }

    public String original() {
        return original;
    }

    public List<Split> splits() {
        return splits;
    }

    /**
     * Replaces each split without tokens by what {@code f} makes of it (given its index among the
     * current splits); splits with tokens stay; empty results are dropped as Hugging Face does.
     */
    public void split(BiFunction<Integer, NormalizedString, List<Split>> f) {
        List<Split> next = new ArrayList<>(splits.size() * 2);
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            if (s.tokens() != null) {
                next.add(s);
                continue;
            }
            for (Split piece : f.apply(i, s.normalized())) {
                if (!piece.normalized().isEmpty()) {
                    next.add(piece);
                }
            }
        }
        splits = next;
    }

    /** {@link #split} for the common case of a function that only cuts a piece into pieces. */
    public void splitEach(Function<NormalizedString, List<NormalizedString>> f) {
        List<Split> next = new ArrayList<>(splits.size() * 2);
        for (Split s : splits) {
            if (s.tokens() != null) {
                next.add(s);
                continue;
            }
            for (NormalizedString piece : f.apply(s.normalized())) {
                if (!piece.isEmpty()) {
                    next.add(Split.of(piece));
                }
            }
        }
        splits = next;
    }

    /** Normalizes each split that has no tokens yet, in place. */
    public void normalize(Consumer<NormalizedString> f) {
        for (Split s : splits) {
            if (s.tokens() == null) {
                f.accept(s.normalized());
            }
        }
    }

    /** Tokenizes each split that has no tokens yet, on its normalized text. */
    public void tokenize(Function<String, List<Token>> model) {
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            if (s.tokens() == null) {
                splits.set(i, new Split(s.normalized(), model.apply(s.normalized().normalized())));
            }
        }
    }

    /** The splits' normalized texts with the input range each came from (UTF-16 indices). */
    public List<Piece> pieces() {
        List<Piece> out = new ArrayList<>(splits.size());
        for (Split s : splits) {
            int[] o = s.normalized().originalOffsets();
            out.add(new Piece(s.normalized().normalized(), o[0], o[1]));
        }
        return out;
    }
}
