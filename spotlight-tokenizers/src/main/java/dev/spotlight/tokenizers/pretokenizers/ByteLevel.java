package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.regex.Gpt2Scanner;
import java.util.List;

/**
 * GPT-2's pre-tokenizer: optionally a space in front, split with GPT-2's pattern, then every
 * UTF-8 byte written as its byte-level alphabet char. {@code trim_offsets} belongs to the
 * post-processor and is only carried here.
 */
public record ByteLevel(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex) implements PreTokenizer {
    private static final NormalizedString.Pattern GPT2 = new Gpt2Scanner();

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(n -> {
            if (addPrefixSpace && !n.normalized().startsWith(" ")) {
                n.prepend(" ");
            }
            return useRegex ? n.split(GPT2, SplitDelimiterBehavior.Isolated) : List.of(n);
        });
        s.normalize(dev.spotlight.tokenizers.normalizers.ByteLevel::apply);
    }
}
