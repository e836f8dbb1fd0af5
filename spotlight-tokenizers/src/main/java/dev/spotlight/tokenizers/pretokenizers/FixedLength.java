package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.PreTokenizedString;
import java.util.ArrayList;
import java.util.List;

/** Cuts each piece into chunks of {@code length} chars (code points). */
public record FixedLength(int length) implements PreTokenizer {
    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(n -> {
            String text = n.normalized();
            List<NormalizedString> out = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                int j = i;
                for (int k = 0; k < length && j < text.length(); k++) {
                    j += Character.charCount(text.codePointAt(j));
                }
                out.add(n.slice(i, j));
                i = j;
            }
            return out;
        });
    }
}
