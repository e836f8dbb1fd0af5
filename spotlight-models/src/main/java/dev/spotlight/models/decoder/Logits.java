package dev.spotlight.models.decoder;

/** Which positions a forward pass computes logits for: the LM head is the largest matrix of a small model. */
public enum Logits {
    /** Every new token: for scoring a text (perplexity) or comparing with a reference. */
    ALL,
    /** The last new token of each sequence: all that generation needs. */
    LAST,
    /** None: a prefill chunk whose continuation comes in a later pass. */
    NONE
}
