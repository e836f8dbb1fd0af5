package dev.spotlight.tokenizers.decoders;

import java.util.List;

/**
 * The tokenizer.json {@code decoder} block: turns tokens back into text. Decoders chain, so each
 * one maps a list of token strings to a new list; the final text is their concatenation.
 */
public interface Decoder {

    List<String> decodeChain(List<String> tokens);

    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }
}
