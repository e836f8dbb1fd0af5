package dev.spotlight.tokenizers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.TokenizerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad model blocks fail at load with a message naming the JSON path, the value and what was
 * expected; an unknown word that needs a missing unk token fails when met, as in the Rust library
 * (which loads such files).
 */
class ModelJsonErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Model load(String block) throws Exception {
        return Models.fromJson(new JsonView(JSON.readTree(block), "tokenizer.json", "$.model"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"Fancy\",\"vocab\":{}}|$.model.type|unknown model type \"Fancy\", expected one of [BPE, WordPiece, WordLevel, Unigram]",
        "{\"dropout\":null}|$.model|needs a \"type\"",
        "{\"vocab\":{\"a\":0}}|$.model|or the fields of one: vocab and merges (BPE)",
        "{\"vocab\":{\"a\":0},\"continuing_subword_prefix\":\"##\",\"max_input_chars_per_word\":100}|$.model|needs a \"type\"",
        "{\"type\":\"BPE\",\"vocab\":{\"a\":\"x\"},\"merges\":[]}|$.model.vocab[\"a\"]|\"x\"",
        "{\"type\":\"BPE\",\"vocab\":{\"a\":-1},\"merges\":[]}|$.model.vocab[\"a\"]|token ids must be >= 0, found -1",
        "{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1},\"merges\":[\"a b\"]}|$.model.merges[0]|\"ab\", which is not in the vocabulary",
        "{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"ab\":1},\"merges\":[[\"a\",\"c\"]]}|$.model.merges[0]|\"c\", which is not in the vocabulary",
        "{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[\"a\"]}|$.model.merges[0]|two tokens separated by one space, found \"a\"",
        "{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[[\"a\"]]}|$.model.merges[0]|a pair [\"left\", \"right\"]",
        "{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[],\"dropout\":0.5}|$.model.dropout|BPE dropout 0.5 makes tokenization random",
        "{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[],\"fuse_unk\":\"yes\"}|$.model.fuse_unk|expected true or false, found \"yes\"",
        "{\"type\":\"WordPiece\",\"vocab\":{\"a\":0},\"max_input_chars_per_word\":\"many\"}|$.model.max_input_chars_per_word|\"many\"",
        "{\"type\":\"WordPiece\",\"vocab\":[[\"a\",0]]}|$.model.vocab|expected an object",
        "{\"type\":\"Unigram\",\"unk_id\":5,\"vocab\":[[\"a\",0.0]]}|$.model.unk_id|unk_id 5 is outside the vocabulary of 1 pieces",
        "{\"type\":\"Unigram\",\"unk_id\":0,\"vocab\":[[\"a\"]]}|$.model.vocab[0]|a pair [\"piece\", score]",
        "{\"type\":\"Unigram\",\"unk_id\":0,\"vocab\":[[\"a\",\"high\"]]}|$.model.vocab[0]|\"high\"",
        "{\"type\":\"WordLevel\",\"vocab\":{\"a\":true},\"unk_token\":\"a\"}|$.model.vocab[\"a\"]|true",
    })
    void badModelBlocksNameTheirPath(String block, String path, String message) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> load(block));
        assertTrue(e.getMessage().startsWith("tokenizer.json: " + path), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[],\"unk_token\":\"<unk>\"}|BPE: unk_token \"<unk>\" is not in the vocabulary",
        "{\"type\":\"WordPiece\",\"vocab\":{\"a\":0},\"unk_token\":\"[UNK]\"}|WordPiece: \"b\" needs the unk_token \"[UNK]\", which is not in the vocabulary",
        "{\"type\":\"WordLevel\",\"vocab\":{\"a\":0},\"unk_token\":\"<unk>\"}|the unk_token \"<unk>\" is missing from it too",
        "{\"type\":\"Unigram\",\"unk_id\":null,\"vocab\":[[\"a\",0.0]]}|the model has no unk_id",
    })
    void unknownWordWithoutUnkTokenFailsWhenMetNotAtLoad(String block, String message) throws Exception {
        Model model = load(block);
        assertEquals(0, model.tokenize("a").getFirst().id());
        TokenizerException e = assertThrows(TokenizerException.class, () -> model.tokenize("b"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void sparseIdsLoadWithoutAnArrayAsLargeAsTheLargestId() throws Exception {
        Model model = load("{\"type\":\"BPE\",\"vocab\":{\"a\":2000000000,\"b\":7,\"ab\":2147483647},\"merges\":[\"a b\"]}");
        assertEquals(java.util.List.of(new Token(2147483647, "ab", 0, 2)), model.tokenize("ab"));
        assertEquals("a", model.idToToken(2000000000).orElseThrow());
        assertTrue(model.idToToken(8).isEmpty());
    }

    @Test
    void dropoutZeroMeansNoDropout() throws Exception {
        Model model = load("{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},\"merges\":[\"a b\"],\"dropout\":0.0}");
        assertEquals(2, model.tokenize("ab").getFirst().id());
    }
}
