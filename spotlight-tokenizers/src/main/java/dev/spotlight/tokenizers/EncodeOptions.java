package dev.spotlight.tokenizers;

/**
 * Per-call settings of {@link Tokenizer#encode}: whether the post-processor adds special tokens,
 * and the padding and truncation to apply (null = none). {@link Tokenizer#defaults()} gives the
 * tokenizer.json's own blocks; the {@code with*} methods derive variations, never mutate.
 */
public record EncodeOptions(boolean addSpecialTokens, Padding padding, Truncation truncation) {

    public EncodeOptions withAddSpecialTokens(boolean add) {
        return new EncodeOptions(add, padding, truncation);
    }

    public EncodeOptions withPadding(Padding p) {
        return new EncodeOptions(addSpecialTokens, p, truncation);
    }

    public EncodeOptions withTruncation(Truncation t) {
        return new EncodeOptions(addSpecialTokens, padding, t);
    }
}
