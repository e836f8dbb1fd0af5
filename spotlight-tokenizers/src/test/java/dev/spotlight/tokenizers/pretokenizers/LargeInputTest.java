package dev.spotlight.tokenizers.pretokenizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import org.junit.jupiter.api.Test;

/** A 10 MB input goes through the heavy pre-tokenizers in time linear in its length. */
class LargeInputTest {
    private static final String TEN_MB = ("The quick brown fox, naïve café owner, said: \"it's 12,345 km\"\n"
            + " ".repeat(40) + "ΣΑΣ 中文字 😀\t\r\n").repeat(90_000);

    private static long millis(String normalizerJson, String preJson) throws Exception {
        ObjectMapper json = new ObjectMapper();
        PreTokenizer pre = PreTokenizers.fromJson(JsonView.root(json.readTree(preJson), "test"));
        long t0 = System.nanoTime();
        NormalizedString n = new NormalizedString(TEN_MB);
        if (normalizerJson != null) {
            Normalizers.fromJson(JsonView.root(json.readTree(normalizerJson), "test")).normalize(n);
        }
        PreTokenizedString s = new PreTokenizedString(n);
        pre.preTokenize(s);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(s.splits().size() > 1_000_000);
        int[] last = s.splits().getLast().normalized().originalOffsets();
        assertTrue(last[1] > TEN_MB.length() - 4 && last[1] <= TEN_MB.length(), "last piece ends at " + last[1]);
        return ms;
    }

    @Test
    void byteLevelSplitsTenMegabytesQuickly() throws Exception {
        long ms = millis(null, "{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,\"use_regex\":true}");
        assertTrue(ms < 20_000, "ByteLevel took " + ms + " ms on " + TEN_MB.length() + " chars");
    }

    @Test
    void bertNormalizerAndPreTokenizerHandleTenMegabytesQuickly() throws Exception {
        long ms = millis("{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,\"strip_accents\":null,\"lowercase\":true}",
                "{\"type\":\"BertPreTokenizer\"}");
        assertTrue(ms < 20_000, "BERT took " + ms + " ms on " + TEN_MB.length() + " chars");
    }

    @Test
    void llama3SplitHandlesTenMegabytesQuickly() throws Exception {
        long ms = millis(null, "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                + new ObjectMapper().writeValueAsString(dev.spotlight.tokenizers.regex.Cl100kScanner.LLAMA3)
                + "},\"behavior\":\"Isolated\",\"invert\":false},{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}]}");
        assertTrue(ms < 20_000, "llama3 took " + ms + " ms on " + TEN_MB.length() + " chars");
    }
}
