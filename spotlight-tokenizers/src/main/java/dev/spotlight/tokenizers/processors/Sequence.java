package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.Encoding;
import java.util.List;

/** {@code Sequence}: post-processors applied one after the other; their added tokens add up. */
public record Sequence(List<PostProcessor> processors) implements PostProcessor {

    public Sequence {
        processors = List.copyOf(processors);
    }

    @Override
    public int addedTokens(boolean isPair) {
        int n = 0;
        for (PostProcessor p : processors) {
            n += p.addedTokens(isPair);
        }
        return n;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        for (PostProcessor p : processors) {
            encodings = p.processEncodings(encodings, addSpecialTokens);
        }
        return encodings;
    }
}
