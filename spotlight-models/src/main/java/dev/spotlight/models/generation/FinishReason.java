package dev.spotlight.models.generation;

/** Why a sequence stopped generating, in the order {@link StoppingCriteria} checks them. */
public enum FinishReason {
    /** The last generated token is one of the end-of-sequence ids (it is kept in the generated ids). */
    EOS,
    /** The generated text contains a stop string that ends in the text of the last token. */
    STOP_STRING,
    /** The token limit: max_new_tokens, max_length, or the end of the model's context. */
    LENGTH
}
