package dev.spotlight.tokenizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.tokenizers.normalizers.Normalizer;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizer;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizers;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Java strings may hold unpaired surrogates, which Rust strings cannot; every component must
 * still run on them and keep offsets inside the input (there is no reference to match here).
 */
class LoneSurrogatesTest {
    private static final String[] INPUTS = {"\uD800", "a\uDC00b", "x\uD83D", "\uDE00y \uD83D\uDE00 z\uD800\uD800", " \uDFFF\u0301 "};

    @Test
    void everyComponentRunsOnUnpairedSurrogates() {
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode line : NormalizerGoldens.lines("normalizers_pretokenizers.jsonl.gz")) {
            String config = line.get("config").toString();
            if (!seen.add(line.get("kind").asText() + config)) {
                continue;
            }
            boolean normalizer = line.get("kind").asText().equals("normalizer");
            Normalizer n = normalizer ? Normalizers.fromJson(NormalizerGoldens.config(line.get("config"))) : null;
            PreTokenizer p = line.get("kind").asText().equals("pretokenizer") ? PreTokenizers.fromJson(NormalizerGoldens.config(line.get("config"))) : null;
            for (String input : INPUTS) {
                if (n != null) {
                    NormalizedString s = new NormalizedString(input);
                    n.normalize(s);
                    for (int i = 0; i < s.length(); i++) {
                        int[] r = s.originalRange(i, i + 1);
                        assertTrue(r[0] >= 0 && r[1] <= input.length(), config + " on " + input);
                    }
                }
                if (p != null) {
                    PreTokenizedString s = new PreTokenizedString(input);
                    p.preTokenize(s);
                    for (PreTokenizedString.Piece piece : s.pieces()) {
                        assertTrue(piece.start() >= 0 && piece.end() <= input.length() && piece.start() <= piece.end(), config + " on " + input);
                    }
                }
            }
        }
        assertTrue(seen.size() > 50);
    }
}
