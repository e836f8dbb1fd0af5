package dev.spotlight.tokenizers.decoders;

import java.util.ArrayList;
import java.util.List;

/** Replaces the end-of-word suffix by a space, except on the last token where it is removed. */
record BpeDecoder(String suffix) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
        }
        return out;
    }
}
