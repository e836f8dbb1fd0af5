package dev.spotlight.models.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.decoder.SharedModels;
import dev.spotlight.tokenizers.ByteLevelAlphabet;
import dev.spotlight.tokenizers.Tokenizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Tokenizer stories() {
        return Tokenizer.fromFile(SharedModels.require("stories260K").resolve("hf/tokenizer.json"));
    }

    /**
     * Streams {@code ids[context, n)} after {@code ids[0, context)} and checks the contract: every
     * release extends a prefix of the full decode, nothing released is ever taken back, and the
     * context text plus all releases equal {@code tokenizer.decode(ids, skip)}. Returns the releases.
     */
    static List<String> streamAndCheck(Tokenizer tokenizer, int[] ids, int context, boolean skip) {
        String expected = tokenizer.decode(ids, skip);
        TextStream stream = new TextStream(tokenizer, skip, Arrays.copyOf(ids, context));
        String prefix = stream.contextText();
        assertTrue(expected.startsWith(prefix), "context text " + prefix);
        List<String> releases = new ArrayList<>();
        StringBuilder soFar = new StringBuilder(prefix);
        for (int i = context; i < ids.length; i++) {
            String out = stream.push(ids[i]);
            releases.add(out);
            soFar.append(out);
            String at = "after id " + i + " of " + Arrays.toString(ids) + " (context " + context + ")";
            assertTrue(expected.startsWith(soFar.toString()), "released " + soFar + " is not a prefix of " + expected + ", " + at);
            assertTrue(expected.startsWith(soFar + stream.pending()) || tokenizer.decode(Arrays.copyOf(ids, i + 1), skip)
                    .equals(soFar + stream.pending()), "pending " + stream.pending() + " " + at);
        }
        assertEquals(0, stream.rebuilds(), "the window never disagreed with released text for " + Arrays.toString(ids));
        releases.add(stream.finish());
        assertEquals(expected, prefix + String.join("", releases));
        assertEquals(expected.substring(prefix.length()), stream.text());
        return releases;
    }

    @Test
    void everyStories260kParityStringStreamsToTheRustDecode() throws IOException {
        Tokenizer tokenizer = stories();
        JsonNode parity = JSON.readTree(SharedModels.require("stories260K").resolve("goldens/tokenizer-parity.json").toFile());
        int checked = 0;
        for (JsonNode c : parity.get("cases")) {
            int[] ids = IntStream.range(0, c.get("hf_tokenizers_ids").size()).map(i -> c.get("hf_tokenizers_ids").get(i).asInt()).toArray();
            List<String> releases = streamAndCheck(tokenizer, ids, 0, true);
            // the Rust library's own decode, not only ours
            assertEquals(c.get("hf_decode").asText(), String.join("", releases), c.get("text").asText());
            for (int context = 1; context < ids.length; context++) {
                streamAndCheck(tokenizer, ids, context, true);
            }
            streamAndCheck(tokenizer, ids, 0, false);
            checked++;
        }
        assertEquals(31, checked);
    }

    @Test
    void aByteFallbackCharacterIsReleasedWhenItsRunEnds() {
        Tokenizer tokenizer = stories();
        TextStream stream = new TextStream(tokenizer, true);
        int a = tokenizer.tokenToId("▁a").orElseThrow();
        assertEquals("", stream.push(0xE2 + 3));           // <0xE2>: byte b is id b + 3
        assertEquals("\uFFFD", stream.pending());           // alone it is invalid UTF-8
        assertEquals("", stream.push(0x82 + 3));
        assertEquals("", stream.push(0xAC + 3));
        assertEquals("€", stream.pending());                // valid now, but a later byte could still spoil the run
        assertEquals("€ a", stream.push(a));
        assertEquals("", stream.pending());
        // a run that ends invalid becomes one U+FFFD per byte, as the Rust ByteFallback decoder does
        assertEquals("", stream.push(0xE2 + 3));
        assertEquals("", stream.push(0x41 + 3));
        assertEquals("\uFFFD\uFFFD a", stream.push(a));
        assertEquals("", stream.finish());
        assertEquals("€ a\uFFFD\uFFFD a", stream.text());
    }

    @Test
    void theSpaceAfterANewlineIsKept() {
        // transformers' TextStreamer restarts its cache after "\n" and would print "Once" here
        Tokenizer tokenizer = stories();
        int[] ids = tokenizer.encode("Hi\n Once upon").ids();
        List<String> releases = streamAndCheck(tokenizer, ids, 0, true);
        assertEquals("Hi\n Once upon", String.join("", releases));
    }

    @Test
    void aContinuationKeepsTheLeadingSpaceOfItsFirstWord() {
        Tokenizer tokenizer = stories();
        int[] prompt = tokenizer.encode("Once upon a time").ids();
        int[] generated = {tokenizer.tokenToId("▁there").orElseThrow(), tokenizer.tokenToId("▁was").orElseThrow()};
        TextStream continuation = new TextStream(tokenizer, true, prompt);
        assertEquals("Once upon a time", continuation.contextText());
        assertEquals(" there", continuation.push(generated[0]));
        assertEquals(" was", continuation.push(generated[1]));
        // alone, the decoder's Strip step takes the first space, as decode(generated) does
        TextStream alone = new TextStream(tokenizer, true);
        assertEquals("there", alone.push(generated[0]));
        assertEquals("there was", alone.text() + alone.push(generated[1]));
    }

    @Test
    void makemoreNamesStreamWithAndWithoutTheirSpecialDot() {
        Tokenizer tokenizer = Tokenizer.fromFile(SharedModels.require("makemore-names").resolve("hf/tokenizer.json"));
        int[] ids = {0, 5, 13, 13, 1, 0};
        assertEquals("emma", String.join("", streamAndCheck(tokenizer, ids, 0, true)));
        assertEquals(".emma.", String.join("", streamAndCheck(tokenizer, ids, 0, false)));
        assertEquals("mma", String.join("", streamAndCheck(tokenizer, ids, 2, true)));
    }

    @Test
    void randomIdSequencesStreamExactly() {
        // every id, special and byte tokens included, in runs that make valid and invalid UTF-8
        Tokenizer tokenizer = stories();
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int trial = 0; trial < 300; trial++) {
            int[] ids = randomIds(r, 1 + r.nextInt(60), tokenizer.vocabSize(true), 3, 259);
            streamAndCheck(tokenizer, ids, r.nextInt(ids.length), r.nextBoolean());
        }
    }

    /** Random ids, about a third of them drawn from [byteFrom, byteTo) (the byte tokens) in runs. */
    static int[] randomIds(java.util.SplittableRandom r, int n, int vocab, int byteFrom, int byteTo) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(3) == 0 && byteTo > byteFrom ? byteFrom + r.nextInt(byteTo - byteFrom) : r.nextInt(vocab);
        }
        return ids;
    }

    /** A GPT-2 style byte-level BPE tokenizer: 256 single-byte tokens, a few merges, ByteLevel decoder. */
    static Tokenizer byteLevelTokenizer() throws IOException {
        var vocab = JSON.createObjectNode();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(ByteLevelAlphabet.charOf(b)), b);
        }
        String space = String.valueOf(ByteLevelAlphabet.charOf(' '));
        vocab.put(space + "t", 256);
        vocab.put("he", 257);
        vocab.put(space + "the", 258);
        String json = """
                {"version": "1.0", "added_tokens": [{"id": 259, "content": "<|end|>", "single_word": false, "lstrip": false,
                  "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": null,
                 "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
                 "post_processor": null,
                 "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
                 "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                  "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                  "vocab": %s, "merges": ["%s t", "h e", "%st he"]}}""".formatted(vocab, space, space);
        return Tokenizer.fromJson(json, "byte-level test tokenizer");
    }

    @Test
    void byteLevelTokensReleaseACharacterWithItsLastByte() throws IOException {
        Tokenizer tokenizer = byteLevelTokenizer();
        String text = "Zoë ate the crème brûlée 🍰, 日本語 and the 👨‍👩‍👧<|end|>";
        int[] ids = tokenizer.encode(text).ids();
        assertEquals(text, tokenizer.decode(ids, false));
        TextStream stream = new TextStream(tokenizer, true);
        int cake = 0;   // the token carrying the cake's last byte
        while (!tokenizer.decode(Arrays.copyOf(ids, cake + 1), true).contains("🍰")) {
            cake++;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            String piece = stream.push(ids[i]);
            assertTrue(piece.indexOf('\uFFFD') < 0, "no replacement character for a character still being completed");
            if (i >= cake - 3 && i < cake) {
                assertEquals("", piece, "the cake's first three bytes");
            } else if (i == cake) {
                assertEquals("🍰", piece);
            }
            out.append(piece);
        }
        out.append(stream.finish());
        assertEquals(text.replace("<|end|>", ""), out.toString());
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        for (int trial = 0; trial < 300; trial++) {
            int[] random = randomIds(r, 1 + r.nextInt(40), 260, 0x80, 0x100);
            streamAndCheck(tokenizer, random, r.nextInt(random.length), r.nextBoolean());
        }
    }

    @Test
    void aDecoderThatRewritesReleasedTextIsReportedNotHidden() {
        // a Replace after Fuse whose pattern spans two tokens changes text already released
        Tokenizer tokenizer = Tokenizer.fromJson("""
                {"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": null, "post_processor": null,
                 "decoder": {"type": "Sequence", "decoders": [{"type": "Fuse"},
                   {"type": "Replace", "pattern": {"String": "ab"}, "content": "X"}]},
                 "model": {"type": "WordLevel", "vocab": {"a": 0, "b": 1, "<unk>": 2}, "unk_token": "<unk>"}}""", "test");
        TextStream stream = new TextStream(tokenizer, true);
        assertEquals("a", stream.push(0));
        String message = assertThrows(IllegalStateException.class, () -> stream.push(1)).getMessage();
        assertEquals("streamed text diverged from decoding all 2 ids at char 0: the tokenizer's decoder changes earlier text"
                + " in a way TextStream does not know", message);
    }

    @Test
    void theStreamIsStrict() {
        Tokenizer tokenizer = stories();
        TextStream stream = new TextStream(tokenizer, true);
        stream.push(5);
        stream.finish();
        assertEquals("", stream.finish());
        assertThrows(IllegalStateException.class, () -> stream.push(6));
        assertTrue(TextStream.isByteFallbackPiece("<0xE2>"));
        assertTrue(TextStream.isByteFallbackPiece("<0x+F>"));
        assertTrue(!TextStream.isByteFallbackPiece("<0xG2>") && !TextStream.isByteFallbackPiece("<0x41 >"));
    }
}
