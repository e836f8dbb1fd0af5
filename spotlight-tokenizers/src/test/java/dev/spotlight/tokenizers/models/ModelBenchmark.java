package dev.spotlight.tokenizers.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.ByteLevelAlphabet;
import dev.spotlight.tokenizers.JsonView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load time of a model block and single-thread tokens per second of the model alone, on words cut
 * from a text file the way the usual pre-tokenizers would cut them (byte-level with a leading space
 * for BPE files that use it, lowercased words and punctuation for WordPiece). Fresh model per pass,
 * so the word cache starts cold each time, as in one run over a corpus; then the distinct words
 * alone, every one a cache miss.
 * Run: java -cp target/classes:target/test-classes:JACKSON dev.spotlight.tokenizers.models.ModelBenchmark TOKENIZER_JSON LINES_TXT
 */
public final class ModelBenchmark {
    public static void main(String[] args) throws Exception {
        JsonNode root = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        JsonView block = new JsonView(root.get("model"), args[0], "$.model");
        boolean byteLevel = root.toString().contains("\"ByteLevel\"");
        List<String> words = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            cut(line, byteLevel, words);
        }
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(words));
        for (int pass = 0; pass < 6; pass++) {
            long t0 = System.nanoTime();
            Model model = Models.fromJson(block);
            long t1 = System.nanoTime();
            long tokens = 0;
            for (String w : words) {
                tokens += model.tokenize(w).size();
            }
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "pass %d: load %.0f ms, %d words -> %d tokens in %.0f ms = %.2f M tokens/s%n", pass,
                    (t1 - t0) / 1e6, words.size(), tokens, (t2 - t1) / 1e6, tokens / ((t2 - t1) / 1e9) / 1e6);
            // every distinct word once on a fresh model: all cache misses, the merge loop's own speed
            Model fresh = Models.fromJson(block);
            long t3 = System.nanoTime();
            long missTokens = 0;
            for (String w : distinct) {
                missTokens += fresh.tokenize(w).size();
            }
            long t4 = System.nanoTime();
            System.out.printf(Locale.ROOT, "        %d distinct words (cache misses) -> %d tokens = %.2f M tokens/s%n", distinct.size(),
                    missTokens, missTokens / ((t4 - t3) / 1e9) / 1e6);
        }
    }

    private static void cut(String line, boolean byteLevel, List<String> out) {
        for (String raw : line.split(" ")) {
            if (raw.isEmpty()) {
                continue;
            }
            if (byteLevel) {
                // words with their leading space, letters apart from punctuation, as the GPT-style regex splits
                String word = (out.isEmpty() ? "" : " ") + raw;
                for (String part : word.split("(?<=\\p{L})(?=[^\\p{L}])|(?<=[^\\p{L} ])(?=\\p{L})")) {
                    out.add(toByteLevel(part));
                }
            } else {
                for (String part : raw.toLowerCase(Locale.ROOT).split("(?<=\\p{P})|(?=\\p{P})")) {
                    if (!part.isEmpty()) {
                        out.add(part);
                    }
                }
            }
        }
    }

    private static String toByteLevel(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.appendCodePoint(ByteLevelAlphabet.charOf(x & 0xFF));
        }
        return b.toString();
    }
}
