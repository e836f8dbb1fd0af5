package dev.spotlight.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.tokenizers.models.Model;
import dev.spotlight.tokenizers.models.Token;
import dev.spotlight.tokenizers.pretokenizers.WhitespaceSplit;
import dev.spotlight.tokenizers.processors.PostProcessors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Rust library cannot be asked (it aborts) or what is ours alone: clear errors, UTF-16
 * offsets, immutability, thread-count independence. Uses a tiny in-test word-level model.
 */
public class TokenizerTest {

    /** A model of whole words, the first one standing for unknown pieces. */
    public static Model words(String... words) {
        return new Words(words);
    }

    /** One token per whole piece, unknown pieces to [UNK]: enough to drive the orchestration. */
    static final class Words implements Model {
        private final Map<String, Integer> vocab = new HashMap<>();
        private final List<String> byId = new ArrayList<>();

        Words(String... words) {
            for (String w : words) {
                vocab.put(w, byId.size());
                byId.add(w);
            }
        }

        @Override
        public List<Token> tokenize(String piece) {
            Integer id = vocab.get(piece);
            return List.of(id == null ? new Token(0, byId.get(0), 0, piece.length()) : new Token(id, piece, 0, piece.length()));
        }

        @Override
        public OptionalInt tokenToId(String token) {
            Integer id = vocab.get(token);
            return id == null ? OptionalInt.empty() : OptionalInt.of(id);
        }

        @Override
        public Optional<String> idToToken(int id) {
            return id >= 0 && id < byId.size() ? Optional.of(byId.get(id)) : Optional.empty();
        }

        @Override
        public int vocabSize() {
            return byId.size();
        }

        @Override
        public Map<String, Integer> vocab() {
            return Map.copyOf(vocab);
        }
    }

    private static Tokenizer bert(Padding padding, Truncation truncation) {
        var bert = PostProcessors.fromJson(JsonView.root(json("{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",2],\"cls\":[\"[CLS]\",1]}"), "test"));
        return new Tokenizer(new Words("[UNK]", "[CLS]", "[SEP]", "[PAD]", "a", "b", "c", "d"), null, new WhitespaceSplit(), bert, null,
                List.of(AddedToken.of("[CLS]", true), AddedToken.of("[SEP]", true), AddedToken.of("[PAD]", true)), padding, truncation);
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pairStrideNotBelowTheRoomLeftIsAClearErrorNotACrash() {
        Tokenizer t = bert(null, new Truncation(7, Truncation.Strategy.LongestFirst, Direction.Right, 2));
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.encode("a b c d a b c d", "a b c d a b"));
        assertTrue(e.getMessage().contains("stride 2 must be strictly less than"), e.getMessage());
    }

    @Test
    void strideNotBelowEffectiveMaxLengthIsRejectedLikeSetTruncation() {
        Tokenizer t = bert(null, null);
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> t.checkTruncation(new Truncation(4, Truncation.Strategy.LongestFirst, Direction.Right, 3)));
        assertEquals("tokenizer stride set to 3, which is greater than or equal to its effective max length of 2 "
                + "(= 4 original max length - 2 added special tokens)", e.getMessage());
    }

    @Test
    void strideEqualToTheRoomPassesTheCheckButFailsClearlyWhenItMatters() {
        Tokenizer t = bert(null, null);
        Truncation equal = new Truncation(4, Truncation.Strategy.LongestFirst, Direction.Right, 2);
        t.checkTruncation(equal); // Rust's check is strict too: only a larger stride is refused up front
        assertEquals(4, t.encode("a b", null, t.defaults().withTruncation(equal)).length());
        assertThrows(TokenizerException.class, () -> t.encode("a b c d", null, t.defaults().withTruncation(equal)));
    }

    @Test
    void encodeWholeTextPutsEveryTokenInTheOverflowingWindows() {
        Tokenizer t = bert(null, null);
        EncodeOptions options = t.defaults().withTruncation(new Truncation(5, Truncation.Strategy.LongestFirst, Direction.Right, 1));
        // three tokens per window, a new one every two: a b c | c d a | a b c | c d
        Encoding whole = t.encodeWholeText("a b c d a b c d", options);
        List<List<String>> windows = new java.util.ArrayList<>();
        windows.add(whole.tokens());
        whole.overflowing().forEach(o -> windows.add(o.tokens()));
        assertEquals(List.of(List.of("[CLS]", "a", "b", "c", "[SEP]"), List.of("[CLS]", "c", "d", "a", "[SEP]"),
                List.of("[CLS]", "a", "b", "c", "[SEP]"), List.of("[CLS]", "c", "d", "[SEP]")), windows);
        assertArrayEquals(new int[] {12, 13, 14, 15}, java.util.Arrays.copyOfRange(whole.overflowing().getLast().offsets(), 2, 6));
        // encode, like tokenizers 0.23.2, stops tokenizing at max_length: its windows end at the fifth token
        Encoding limited = t.encode("a b c d a b c d", null, options);
        assertEquals(List.of("[CLS]", "c", "d", "a", "[SEP]"), limited.overflowing().getLast().tokens());
        assertEquals(1, limited.overflowing().size());
        // without truncation it is encode
        assertEquals(t.encode("a b c d", null, t.defaults()).tokens(), t.encodeWholeText("a b c d", t.defaults()).tokens());
    }

    @Test
    void utf16OffsetsIndexJavaStringsWhileOffsetsCountCodePoints() {
        String text = "😀😀 a 😀 b";
        Encoding e = bert(null, null).encode(text);
        assertEquals(List.of("[CLS]", "[UNK]", "a", "[UNK]", "b", "[SEP]"), e.tokens());
        assertArrayEquals(new int[] {0, 0, 0, 2, 3, 4, 5, 6, 7, 8, 0, 0}, e.offsets());
        assertArrayEquals(new int[] {0, 0, 0, 4, 5, 6, 7, 9, 10, 11, 0, 0}, e.utf16Offsets());
        assertEquals("😀😀", text.substring(e.utf16Start(1), e.utf16End(1)));
    }

    @Test
    void encodingsAreImmutable() {
        Encoding e = bert(null, null).encode("a b");
        int[] ids = e.ids();
        ids[0] = 99;
        assertEquals(1, e.id(0));
        Encoding padded = e.pad(6, 3, 0, "[PAD]", Direction.Left);
        assertEquals(4, e.length());
        assertEquals(6, padded.length());
        assertThrows(UnsupportedOperationException.class, () -> e.tokens().set(0, "x"));
    }

    @Test
    void batchResultsDoNotDependOnThreadCount() throws Exception {
        Tokenizer t = bert(Padding.batchLongest(), new Truncation(6, Truncation.Strategy.LongestFirst, Direction.Right, 1));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            texts.add("a b c d a b c d".substring(0, 1 + (i * 7) % 15).trim());
        }
        List<Encoding> parallel = t.encodeBatch(texts);
        List<Encoding> single;
        try (ForkJoinPool one = new ForkJoinPool(1)) {
            single = one.submit(() -> t.encodeBatch(texts)).get();
        }
        assertEquals(texts.size(), parallel.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(single.get(i).ids(), parallel.get(i).ids());
            assertArrayEquals(single.get(i).offsets(), parallel.get(i).offsets());
            assertArrayEquals(single.get(i).attentionMask(), parallel.get(i).attentionMask());
            assertEquals(single.get(i).overflowing().size(), parallel.get(i).overflowing().size());
            assertEquals(parallel.get(0).length(), parallel.get(i).length(), "batch padding gives one length");
        }
    }

    @Test
    void decodeSkipsSpecialTokensOnlyWhenAsked() {
        Tokenizer t = bert(null, null);
        int[] ids = t.encode("a [SEP] b").ids();
        assertEquals("[CLS] a [SEP] b [SEP]", t.decode(ids, false));
        assertEquals("a b", t.decode(ids, true));
        assertEquals(List.of("a b", "c"), t.decodeBatch(List.of(ids, t.encode("c").ids()), true));
    }

    @Test
    void malformedJsonNamesTheFileAndPosition() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.fromJson("{\"version\": \"1.0\", \"model\": {", "broken.json"));
        assertTrue(e.getMessage().startsWith("broken.json: not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void aMissingOrBinaryFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.json");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.fromFile(missing));
        assertEquals(missing + ": no such tokenizer file", e.getMessage());
        Path binary = Files.write(dir.resolve("model.bin"), new byte[] {(byte) 0x80, 0x00, (byte) 0xFF, 0x7B});
        e = assertThrows(TokenizerException.class, () -> Tokenizer.fromFile(binary));
        assertEquals(binary + ": not a tokenizer.json: the file is not UTF-8 text", e.getMessage());
    }

    @Test
    void wrongFieldTypesNameThePathAndWhatWasExpected() {
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> Tokenizer.fromJson("{\"padding\": {\"strategy\": \"BatchLongest\", \"pad_id\": \"x\"}}", "t.json"));
        assertEquals("t.json: $.padding.pad_id: expected an integer, found \"x\"", e.getMessage());
        e = assertThrows(TokenizerException.class,
                () -> Tokenizer.fromJson("{\"truncation\": {\"max_length\": 4, \"strategy\": \"Middle\"}}", "t.json"));
        assertEquals("t.json: $.truncation.strategy: expected \"LongestFirst\", \"OnlyFirst\" or \"OnlySecond\", found \"Middle\"", e.getMessage());
    }

    @Test
    void unknownPostProcessorTypeIsNamed() {
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> Tokenizer.fromJson("{\"post_processor\": {\"type\": \"Fancy\"}}", "t.json"));
        assertTrue(e.getMessage().startsWith("t.json: $.post_processor.type: unknown post_processor type \"Fancy\""), e.getMessage());
    }

    @Test
    void templateWithUndefinedSpecialTokenFailsAtLoad() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.fromJson(
                "{\"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": \"[X] $A\", \"pair\": \"$A $B\", \"special_tokens\": {}}}", "t.json"));
        assertTrue(e.getMessage().contains("Missing SpecialToken(s) with id(s) `[X]`"), e.getMessage());
    }

    @Test
    void unknownVersionIsRejected() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.fromJson("{\"version\": \"2.0\"}", "t.json"));
        assertEquals("t.json: $.version: Unknown tokenizer version '2.0', expected '1.0'", e.getMessage());
    }
}
