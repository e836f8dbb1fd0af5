package dev.spotlight.tokenizers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.TokenizerException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Model behaviours on hand-made vocabularies (values worked out from the Rust library's
 * algorithms; the real vocabularies are covered by GoldenParityTest) and bad model blocks.
 */
public class ModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void wordPieceTakesTheLongestPrefixThenContinuations() {
        Model m = model("{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"vocab\":{\"[UNK]\":0,\"un\":1,\"##aff\":2,\"##able\":3,\"unaff\":4}}");
        assertEquals(List.of(new Token(4, "unaff", 0, 5), new Token(3, "##able", 5, 9)), m.tokenize("unaffable"));
        assertEquals(List.of(new Token(0, "[UNK]", 0, 6)), m.tokenize("unabbl"), "any unmatched part makes the whole word unknown");
    }

    @Test
    void bpeMergesLowestRankFirstAndFallsBackToBytes() {
        Model m = model("{\"type\":\"BPE\",\"byte_fallback\":true,\"vocab\":{\"a\":0,\"b\":1,\"ab\":2,\"abb\":3,\"bb\":4,"
                + "\"<0xF0>\":5,\"<0x9F>\":6,\"<0x98>\":7,\"<0x80>\":8},\"merges\":[\"a b\",\"ab b\",\"b b\"]}");
        assertEquals(List.of(new Token(3, "abb", 0, 3)), m.tokenize("abb"));
        // an emoji outside the vocabulary: one token per UTF-8 byte, each spanning the whole character
        assertEquals(List.of(new Token(2, "ab", 0, 2), new Token(5, "<0xF0>", 2, 4), new Token(6, "<0x9F>", 2, 4),
                new Token(7, "<0x98>", 2, 4), new Token(8, "<0x80>", 2, 4)), m.tokenize("ab😀"));
    }

    @Test
    void bpeFusesAdjacentUnknownsWhenAsked() {
        String vocab = "\"vocab\":{\"<unk>\":0,\"a\":1},\"merges\":[],\"unk_token\":\"<unk>\"";
        assertEquals(List.of(new Token(1, "a", 0, 1), new Token(0, "<unk>", 1, 3), new Token(1, "a", 3, 4)),
                model("{\"type\":\"BPE\"," + vocab + ",\"fuse_unk\":true}").tokenize("axya"));
        assertEquals(4, model("{\"type\":\"BPE\"," + vocab + "}").tokenize("axya").size());
    }

    @Test
    void unigramPicksTheBestScoringSegmentationAndKeepsUnknownText() {
        Model m = model("{\"type\":\"Unigram\",\"unk_id\":0,\"vocab\":[[\"<unk>\",0],[\"a\",-1],[\"b\",-1],[\"ab\",-1.5],[\"abc\",-5]]}");
        assertEquals(List.of(new Token(3, "ab", 0, 2), new Token(1, "a", 2, 3)), m.tokenize("aba"));
        // two unknown characters fuse into one unknown token whose text is the input
        assertEquals(List.of(new Token(1, "a", 0, 1), new Token(0, "xy", 1, 3)), m.tokenize("axy"));
    }

    @Test
    void modelTypeIsInferredFromTheFieldsWhenAbsent() {
        assertEquals(WordLevel.class, Models.fromJson(view("{\"vocab\":{\"a\":0},\"unk_token\":\"a\"}")).getClass());
        assertEquals(Bpe.class, Models.fromJson(view("{\"vocab\":{\"a\":0},\"merges\":[]}")).getClass());
    }

    @Test
    void badBlocksAreNamedByPathAndValue() {
        assertMessage("{\"type\":\"GPT\",\"vocab\":{}}", "tokenizer.json: $.type: unknown model type \"GPT\", expected one of [BPE, WordPiece, WordLevel, Unigram]");
        assertMessage("{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[\"a b\"]}",
                "tokenizer.json: $.merges[0]: merge uses \"b\", which is not in the vocabulary");
        assertMessage("{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[],\"dropout\":0.1}",
                "tokenizer.json: $.dropout: BPE dropout 0.1 makes tokenization random; only null or 0 is supported");
        assertMessage("{\"type\":\"WordPiece\",\"vocab\":{\"a\":\"zero\"},\"unk_token\":\"a\"}",
                "tokenizer.json: $.vocab[\"a\"]: expected an integer, found \"zero\"");
        assertMessage("{\"type\":\"Unigram\",\"unk_id\":5,\"vocab\":[[\"a\",0]]}",
                "tokenizer.json: $.unk_id: unk_id 5 is outside the vocabulary of 1 pieces");
    }

    private static void assertMessage(String json, String message) {
        assertEquals(message, assertThrows(TokenizerException.class, () -> Models.fromJson(view(json))).getMessage());
    }

    private static Model model(String json) {
        return Models.fromJson(view(json));
    }

    public static JsonView view(String json) {
        try {
            return JsonView.root(JSON.readTree(json), "tokenizer.json");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
