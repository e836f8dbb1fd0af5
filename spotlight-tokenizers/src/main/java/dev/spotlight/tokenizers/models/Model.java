package dev.spotlight.tokenizers.models;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The tokenizer.json {@code model} block: turns one pre-tokenized piece into tokens.
 * Implementations are immutable and thread-safe.
 */
public interface Model {

    /** Tokens of {@code piece}, offsets as UTF-16 indices into {@code piece}. */
    java.util.List<Token> tokenize(String piece);

    OptionalInt tokenToId(String token);

    Optional<String> idToToken(int id);

    /** Number of entries in the model's own vocabulary (added tokens not counted). */
    int vocabSize();

    /** The model's vocabulary, token to id. */
    Map<String, Integer> vocab();

    /**
     * The prefix that marks a token continuing a word ("##" for WordPiece), when the model has one:
     * what Hugging Face's pipelines read as {@code model.continuing_subword_prefix} to tell sub-words apart.
     */
    default Optional<String> continuingSubwordPrefix() {
        return Optional.empty();
    }
}
