package dev.spotlight.models.generation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.Tokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TextStream} on the real tokenizer.json files spotlight-tokenizers' build fetches for its
 * parity tests (byte-level BPE, SentencePiece BPE with byte fallback, Unigram with Metaspace,
 * WordPiece with clean-up, WordLevel): the golden corpus texts and random id sequences stream to
 * exactly {@code Tokenizer.decode}. Skipped, with the reason, when that build has not run.
 */
class TextStreamRealTokenizersTest {

    static Tokenizer fetched(String name) {
        Path dir = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && dir == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(".ci/run"))) {
                dir = d.resolve("spotlight-tokenizers/target/tokenizers");
            }
        }
        Path file = dir == null ? null : dir.resolve(name + ".json");
        Assumptions.assumeTrue(file != null && Files.isRegularFile(file),
                "spotlight-tokenizers/target/tokenizers/" + name + ".json is not there: build spotlight-tokenizers' tests first");
        return Tokenizer.fromFile(file);
    }

    static List<String> corpus() throws IOException {
        Path texts = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && texts == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(".ci/run"))) {
                texts = d.resolve("spotlight-tokenizers/goldens/corpus/texts.jsonl");
            }
        }
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(texts)) {
            out.add(json.readTree(line).get("text").asText());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama3", "qwen3", "gpt4o", "llama2", "gemma3", "albert-unigram", "smart-unigram", "all-minilm-l6-v2",
            "bge-small-zh-v1.5", "wordlevel-bert-words"})
    void corpusTextsAndRandomIdsStreamToTheFullDecode(String name) throws IOException {
        Tokenizer tokenizer = fetched(name);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        int streamed = 0;
        for (String text : corpus()) {
            int[] ids = tokenizer.encode(text).ids();
            if (ids.length == 0) {
                continue;
            }
            TextStreamTest.streamAndCheck(tokenizer, ids, 0, true);
            TextStreamTest.streamAndCheck(tokenizer, ids, r.nextInt(ids.length), r.nextBoolean());
            streamed++;
        }
        assertTrue(streamed > 100, streamed + " texts");
        // random ids, a third of them single-character tokens (bytes of byte-level vocabularies) or <0xNN> pieces
        int vocab = tokenizer.vocabSize(true);
        int[] small = java.util.stream.IntStream.range(0, vocab)
                .filter(id -> tokenizer.idToToken(id).map(t -> t.length() == 1 || TextStream.isByteFallbackPiece(t)).orElse(false))
                .toArray();
        for (int trial = 0; trial < 150; trial++) {
            int[] ids = new int[1 + r.nextInt(50)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(3) == 0 && small.length > 0 ? small[r.nextInt(small.length)] : r.nextInt(vocab);
            }
            TextStreamTest.streamAndCheck(tokenizer, ids, r.nextInt(ids.length), r.nextBoolean());
        }
    }
}
