package dev.spotlight.tokenizers.pretokenizers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.PreTokenizedString;
import dev.spotlight.tokenizers.normalizers.Normalizer;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Lines per second through normalizer + pre-tokenizer alone (BERT and llama3 setups), one thread.
 * Run: java -cp target/classes:target/test-classes:JACKSON dev.spotlight.tokenizers.pretokenizers.PreTokenizationBenchmark
 */
public final class PreTokenizationBenchmark {
    public static void main(String[] args) throws Exception {
        String[] words = ("the of and to in a is that for it as was with be by on not he I this are or his from at which but have an they "
                + "you were her she there been one all we their has would when if so no will more its who out into also than time Paris "
                + "can't It's 1,234 km. (e.g., \"quoted\") naïve café — 2024-06-11 U.S. state-of-the-art"
                + (args.length > 0 && args[0].equals("multilingual") ? " Über Straße Ελληνικά ΣΑΣ Москва 東京都 中文字 한국어 العربية ñandú Ærø 😀 👍🏽" : "")).split(" ");
        Random r = new Random(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = 8 + r.nextInt(20);
            for (int k = 0; k < n; k++) {
                b.append(k == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            lines.add(b.append('.').toString());
        }
        ObjectMapper json = new ObjectMapper();
        Normalizer bertNorm = Normalizers.fromJson(JsonView.root(json.readTree(
                "{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,\"strip_accents\":null,\"lowercase\":true}"), "bench"));
        PreTokenizer bertPre = PreTokenizers.fromJson(JsonView.root(json.readTree("{\"type\":\"BertPreTokenizer\"}"), "bench"));
        PreTokenizer llama = PreTokenizers.fromJson(JsonView.root(json.readTree("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                + json.writeValueAsString(dev.spotlight.tokenizers.regex.Cl100kScanner.LLAMA3)
                + "},\"behavior\":\"Isolated\",\"invert\":false},{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}]}"), "bench"));
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            long pieces = 0;
            for (String line : lines) {
                NormalizedString n = new NormalizedString(line);
                bertNorm.normalize(n);
                PreTokenizedString s = new PreTokenizedString(n);
                bertPre.preTokenize(s);
                pieces += s.splits().size();
            }
            long t1 = System.nanoTime();
            for (String line : lines) {
                PreTokenizedString s = new PreTokenizedString(line);
                llama.preTokenize(s);
                pieces += s.splits().size();
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: BERT %.0f lines/s, llama3 %.0f lines/s (%d pieces)%n", round,
                    lines.size() / ((t1 - t0) / 1e9), lines.size() / ((t2 - t1) / 1e9), pieces);
        }
    }
}
