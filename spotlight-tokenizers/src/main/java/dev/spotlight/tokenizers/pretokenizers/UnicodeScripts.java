package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.unicode.Scripts;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits where the script changes, Hugging Face's way: spaces (and unlisted code points) are
 * {@code Any} and never cause a split, Hiragana, Katakana and U+30FC count as Han, and text
 * before the first char with a script is dropped.
 */
public record UnicodeScripts() implements PreTokenizer {
    private static final int HAN = Scripts.id("Han");
    private static final int HIRAGANA = Scripts.id("Hiragana");
    private static final int KATAKANA = Scripts.id("Katakana");

    private static int fixedScript(int cp) {
        if (cp == 0x30FC) {
            return HAN;
        }
        if (cp == ' ') {
            return Scripts.ANY;
        }
        int s = Scripts.of(cp);
        return s == HIRAGANA || s == KATAKANA ? HAN : s;
    }

    @Override
    public void preTokenize(PreTokenizedString s) {
        s.splitEach(n -> {
            String text = n.normalized();
            List<Integer> cuts = new ArrayList<>();
            int last = -1; // none yet
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int script = fixedScript(cp);
                if (script != Scripts.ANY && last != Scripts.ANY && last != script) {
                    cuts.add(i);
                }
                if (script != Scripts.ANY) {
                    last = script;
                }
                i += Character.charCount(cp);
            }
            cuts.add(text.length());
            List<NormalizedString> out = new ArrayList<>(cuts.size());
            for (int k = 0; k + 1 < cuts.size(); k++) {
                out.add(n.slice(cuts.get(k), cuts.get(k + 1)));
            }
            return out;
        });
    }
}
