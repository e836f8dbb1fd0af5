package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.unicode.CharClasses;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT's pre-tokenizer: split on whitespace (dropped), then isolate every punctuation char.
 * Hugging Face runs two splits; one pass that drops whitespace and cuts around punctuation gives
 * the same pieces with half the slicing.
 */
public record BertPreTokenizer() implements PreTokenizer {

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(BertPreTokenizer::pieces);
    }

    private static List<NormalizedString> pieces(NormalizedString n) {
        String text = n.normalized();
        List<NormalizedString> out = new ArrayList<>();
        int start = -1; // start of the current word, -1 when none
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int w = Character.charCount(cp);
            boolean space = CharClasses.isWhitespace(cp);
            if (space || CharClasses.isPunctuation(cp)) {
                if (start >= 0) {
                    out.add(n.slice(start, i));
                    start = -1;
                }
                if (!space) {
                    out.add(n.slice(i, i + w));
                }
            } else if (start < 0) {
                start = i;
            }
            i += w;
        }
        if (start >= 0) {
            out.add(n.slice(start, text.length()));
        }
        return out;
    }
}
