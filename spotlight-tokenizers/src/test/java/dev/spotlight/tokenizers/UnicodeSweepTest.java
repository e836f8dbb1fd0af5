package dev.spotlight.tokenizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.tokenizers.normalizers.Normalizer;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizer;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every code point, chunk by chunk, through the Unicode-sensitive normalizers and pre-tokenizers,
 * compared with the Rust library by hash (goldens/unicode_sweep.jsonl): catches each table
 * difference (Unicode versions, category quirks, normalization data) anywhere in the range.
 */
class UnicodeSweepTest {

    @TestFactory
    Stream<DynamicTest> everyCodePointMatchesTheRustLibrary() {
        return NormalizerGoldens.lines("unicode_sweep.jsonl").stream().map(line -> DynamicTest.dynamicTest(
                line.get("kind").asText() + " " + line.get("variant").asText() + " " + line.get("config"), () -> check(line)));
    }

    private static void check(JsonNode line) {
        boolean marks = line.get("variant").asText().equals("marks");
        boolean normalizer = line.get("kind").asText().equals("normalizer");
        Normalizer n = normalizer ? Normalizers.fromJson(NormalizerGoldens.config(line.get("config"))) : null;
        PreTokenizer p = normalizer ? null : PreTokenizers.fromJson(NormalizerGoldens.config(line.get("config")));
        List<String> wrong = new ArrayList<>();
        JsonNode hashes = line.get("hashes");
        for (int k = 0; k < hashes.size(); k++) {
            String input = chunk(k * 4096, marks);
            String actual = normalizer ? normalizerHash(n, input) : preTokenizerHash(p, input);
            if (!actual.equals(hashes.get(k).asText())) {
                wrong.add(String.format("U+%04X..U+%04X", k * 4096, k * 4096 + 4095));
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " chunks differ: " + wrong.subList(0, Math.min(10, wrong.size())));
    }

    static String chunk(int start, boolean marks) {
        StringBuilder s = new StringBuilder();
        for (int cp = start; cp < Math.min(start + 4096, 0x110000); cp++) {
            if (cp >= 0xD800 && cp < 0xE000) {
                continue;
            }
            s.appendCodePoint(cp);
            if (marks) {
                s.append("\u0323\u0301");
            }
        }
        return s.toString();
    }

    private static String normalizerHash(Normalizer n, String input) {
        NormalizedString s = new NormalizedString(input);
        n.normalize(s);
        int[] cp = NormalizerGoldens.codePointIndex(input);
        StringBuilder b = new StringBuilder(s.normalized()).append('|');
        String text = s.normalized();
        boolean first = true;
        for (int i = 0; i < text.length(); ) {
            int w = Character.charCount(text.codePointAt(i));
            int[] r = s.originalRange(i, i + w);
            b.append(first ? "" : ";").append(cp[r[0]]).append(',').append(cp[r[1]]);
            first = false;
            i += w;
        }
        return NormalizerGoldens.fnv(b);
    }

    private static String preTokenizerHash(PreTokenizer p, String input) {
        PreTokenizedString s = new PreTokenizedString(input);
        p.preTokenize(s);
        int[] cp = NormalizerGoldens.codePointIndex(input);
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (PreTokenizedString.Piece piece : s.pieces()) {
            b.append(first ? "" : "\u0002").append(piece.text()).append('\u0001').append(cp[piece.start()]).append(',').append(cp[piece.end()]);
            first = false;
        }
        return NormalizerGoldens.fnv(b);
    }
}
