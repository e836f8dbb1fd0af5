package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RobertaProcessing}: {@code <s> A </s>} and {@code <s> A </s></s> B </s>}, every type id 0
 * (Rust: "Roberta is weird"), offsets trimmed of the spaces byte-level tokens carry.
 */
public record RobertaProcessing(SpecialToken sep, SpecialToken cls, boolean trimOffsets, boolean addPrefixSpace)
        implements PostProcessor {

    @Override
    public int addedTokens(boolean isPair) {
        return isPair ? 4 : 2;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        List<Encoding> out = new ArrayList<>(encodings.size());
        for (Encoding e : encodings) {
            if (trimOffsets) {
                e = OffsetTrimming.trim(e, addPrefixSpace).mapOverflowing(o -> OffsetTrimming.trim(o, addPrefixSpace));
            }
            out.add(e.withTypeIds(0));
        }
        if (!addSpecialTokens) {
            return out;
        }
        for (int i = 0; i < out.size(); i++) {
            Encoding e = out.get(i).mapOverflowing(o -> o.withTypeIds(0));
            out.set(i, i == 0
                    ? Encoding.merge(List.of(cls.encoding(0), e, sep.encoding(0)))
                    : Encoding.merge(List.of(sep.encoding(0), e, sep.encoding(0))));
        }
        return out;
    }
}
