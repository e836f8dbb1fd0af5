package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;

/** {@code ByteLevel} as a post-processor: adds no tokens, only trims offsets when {@code trim_offsets}. */
public record ByteLevel(boolean trimOffsets, boolean addPrefixSpace) implements PostProcessor {

    @Override
    public int addedTokens(boolean isPair) {
        return 0;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        List<Encoding> out = new ArrayList<>(encodings.size());
        for (int i = 0; i < encodings.size(); i++) {
            Encoding e = encodings.get(i);
            if (trimOffsets) {
                e = OffsetTrimming.trim(e, addPrefixSpace).mapOverflowing(o -> OffsetTrimming.trim(o, addPrefixSpace));
            }
            out.add(e.withSequenceId(i));
        }
        return out;
    }
}
