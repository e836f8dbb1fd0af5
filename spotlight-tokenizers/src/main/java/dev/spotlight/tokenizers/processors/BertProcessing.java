package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;

/** {@code BertProcessing}: {@code [CLS] A [SEP]} and {@code [CLS] A [SEP] B [SEP]}, B with type id 1. */
public record BertProcessing(SpecialToken sep, SpecialToken cls) implements PostProcessor {

    @Override
    public int addedTokens(boolean isPair) {
        return isPair ? 3 : 2;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        if (!addSpecialTokens) {
            return encodings;
        }
        List<Encoding> out = new ArrayList<>(encodings.size());
        for (int i = 0; i < encodings.size(); i++) {
            Encoding e = encodings.get(i);
            // Merging with the special tokens shifts the sequence range past [CLS], as Rust's
            // hand-built ranges do, and wraps each overflowing encoding the same way.
            out.add(i == 0
                    ? Encoding.merge(List.of(cls.encoding(0), e, sep.encoding(0)))
                    : e.merge(sep.encoding(1)));
        }
        return out;
    }
}
