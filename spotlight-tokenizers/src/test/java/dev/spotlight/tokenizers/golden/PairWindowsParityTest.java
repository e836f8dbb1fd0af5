package dev.spotlight.tokenizers.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.TokenizerException;
import dev.spotlight.tokenizers.Truncation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Overflow windows over whole texts, pairs above all (a question-answering context cut into
 * {@code doc_stride} windows beside its question), against the Rust library: each case of
 * goldens/unit/pair-windows.mjs was answered by tokenizers 0.13.4, which tokenizes the whole text before
 * cutting it (as 0.22.2 does), and by 0.23.2, whose early exit stops at max_length tokens
 * (huggingface/tokenizers#2091). {@link Tokenizer#encodeWholeText(String, String, EncodeOptions)} must
 * give the first, {@link Tokenizer#encode(String, String, EncodeOptions)} still the second. Then a
 * property over many random contexts and strides: the windows' context tokens, less the overlaps,
 * are the whole context's tokens.
 */
class PairWindowsParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> CASES = load();
    private static final Map<String, Tokenizer> TOKENIZERS = new HashMap<>();

    private static List<JsonNode> load() {
        List<JsonNode> cases = new ArrayList<>();
        try (var in = new GZIPInputStream(PairWindowsParityTest.class.getResourceAsStream("/goldens/unit/pair_windows.jsonl.gz"));
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                cases.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static Tokenizer tokenizer(JsonNode c) {
        JsonNode t = c.get("tokenizer");
        String key = t.isTextual() ? t.asText() : t.toString();
        return TOKENIZERS.computeIfAbsent(key, k -> t.isTextual() ? Tokenizer.fromFile(GoldenParityTest.tokenizerFile(k))
                : Tokenizer.fromJson(k, c.get("name").asText() + ".json"));
    }

    private static EncodeOptions options(JsonNode c) {
        JsonNode t = c.get("truncation");
        return new EncodeOptions(true, null, new Truncation(t.get("max_length").asInt(),
                Truncation.Strategy.valueOf(t.get("strategy").asText()), Direction.valueOf(t.get("direction").asText()),
                t.get("stride").asInt()));
    }

    private static String second(JsonNode c) {
        return c.get("second").isNull() ? null : c.get("second").asText();
    }

    @Test
    void encodeWholeTextGivesTheWindowsOfTheRustLibraryBeforeItsEarlyExit() {
        assertTrue(CASES.size() >= 300, CASES.size() + " cases");
        for (JsonNode c : CASES) {
            Tokenizer t = tokenizer(c);
            check(c.get("whole"), () -> t.encodeWholeText(c.get("first").asText(), second(c), options(c)), c.get("name") + " whole");
        }
    }

    @Test
    void encodeStillGivesTokenizers0232sWindows() {
        for (JsonNode c : CASES) {
            Tokenizer t = tokenizer(c);
            check(c.get("limited"), () -> t.encode(c.get("first").asText(), second(c), options(c)), c.get("name") + " limited");
        }
    }

    /**
     * What the goldens stand on: the old library and 0.23.2 agree wherever no sequence has more than
     * max_length tokens (where the early exit cannot drop anything), and differ on many long ones, where
     * 0.23.2's windows stop early.
     */
    @Test
    void theTwoVersionsDifferOnlyWhereTheEarlyExitDropsTokens() {
        int differ = 0;
        int longContexts = 0;
        for (JsonNode c : CASES) {
            boolean same = c.get("whole").equals(c.get("limited"));
            boolean fits = true;
            for (JsonNode n : c.get("tokens")) {
                fits &= n.asInt() <= c.get("truncation").get("max_length").asInt();
            }
            assertTrue(!fits || same, c.get("name") + ": the versions differ on sequences that fit");
            differ += same ? 0 : 1;
            if (!same && c.get("truncation").get("strategy").asText().equals("OnlySecond") && !c.get("whole").has("error")) {
                longContexts++;
                assertTrue(tokens(c.get("whole")) > tokens(c.get("limited")), c.get("name") + ": the whole context's windows hold more tokens");
            }
        }
        assertTrue(differ >= 100, differ + " cases where the windows differ");
        assertTrue(longContexts >= 40, longContexts + " question-first pairs whose context 0.23.2 cuts short");
    }

    /** The tokens of an encoding and all its windows. */
    private static int tokens(JsonNode encoding) {
        int n = encoding.get("ids").size();
        for (JsonNode window : encoding.get("overflowing")) {
            n += tokens(window);
        }
        return n;
    }

    private static void check(JsonNode expected, Supplier<Encoding> encode, String where) {
        if (expected.has("error")) {
            assertThrows(TokenizerException.class, encode::get, where + ": Rust answered " + expected.get("error"));
            return;
        }
        assertEncoding(expected, encode.get(), where);
    }

    private static void assertEncoding(JsonNode expected, Encoding actual, String where) {
        assertArrayEquals(ints(expected.get("ids")), actual.ids(), where + " ids");
        assertArrayEquals(ints(expected.get("type_ids")), actual.typeIds(), where + " type_ids");
        assertArrayEquals(ints(expected.get("special_tokens_mask")), actual.specialTokensMask(), where + " special_tokens_mask");
        assertArrayEquals(ints(expected.get("attention_mask")), actual.attentionMask(), where + " attention_mask");
        assertArrayEquals(ints(expected.get("word_ids")), actual.wordIds(), where + " word_ids");
        assertArrayEquals(ints(expected.get("sequence_ids")), actual.sequenceIds(), where + " sequence_ids");
        int[] offsets = new int[2 * expected.get("offsets").size()];
        for (int i = 0; i < offsets.length / 2; i++) {
            offsets[2 * i] = expected.get("offsets").get(i).get(0).asInt();
            offsets[2 * i + 1] = expected.get("offsets").get(i).get(1).asInt();
        }
        assertArrayEquals(offsets, actual.offsets(), where + " offsets");
        assertEquals(expected.get("overflowing").size(), actual.overflowing().size(), where + " windows");
        for (int i = 0; i < actual.overflowing().size(); i++) {
            assertEncoding(expected.get("overflowing").get(i), actual.overflowing().get(i), where + " overflowing[" + i + "]");
        }
    }

    /** JSON numbers, null as -1 (how Encoding holds a missing word or sequence id). */
    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).isNull() ? -1 : array.get(i).asInt();
        }
        return out;
    }

    private static final List<String> WORDS = List.of("the", "tower", "was", "built", "in", "1889", "by", "Gustave", "Eiffel's",
            "company", ",", "and", "it", "stands", "on", "Champ", "de", "Mars", "naïve", "café", "東京", "😀", "don't",
            "co-operate", "unbelievably", "antidisestablishmentarianism", "Paris", ".", "?", "$1,234.56");

    private static String words(Random random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : random.nextInt(9) == 0 ? "  " : " ").append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return b.toString();
    }

    /**
     * The property transformers' question answering relies on, for 300 random contexts, questions,
     * max_seq_len and doc_stride, with the question first (truncation only_second) and with the context
     * first (only_first): every window holds the whole question and its special tokens, at most
     * max_seq_len tokens, and the windows' context tokens, each window's first {@code stride} dropped
     * after the first window, are exactly the whole context's tokens, ids and offsets alike.
     */
    @Test
    void theWindowsCoverTheWholeContextOverlappingByTheStride() {
        Tokenizer t = Tokenizer.fromFile(GoldenParityTest.tokenizerFile("bge-small-en-v1.5"));
        EncodeOptions plain = new EncodeOptions(false, null, null);
        Random random = new Random(15);
        int multiWindow = 0;
        for (int i = 0; i < 300; i++) {
            String question = words(random, 1 + random.nextInt(6));
            String context = words(random, 1 + random.nextInt(400));
            int questionTokens = t.encode(question, null, plain).length();
            int maxLength = questionTokens + 3 + 2 + random.nextInt(60);
            int room = maxLength - questionTokens - 3;
            int stride = random.nextInt(room);
            boolean questionFirst = random.nextBoolean();
            String where = "case " + i + " (max_length " + maxLength + ", stride " + stride + ", question first " + questionFirst + ")";
            Truncation truncation = new Truncation(maxLength, questionFirst ? Truncation.Strategy.OnlySecond
                    : Truncation.Strategy.OnlyFirst, Direction.Right, stride);
            Encoding e = questionFirst ? t.encodeWholeText(question, context, new EncodeOptions(true, null, truncation))
                    : t.encodeWholeText(context, question, new EncodeOptions(true, null, truncation));
            List<Encoding> windows = new ArrayList<>();
            windows.add(e);
            windows.addAll(e.overflowing());
            multiWindow += windows.size() > 1 ? 1 : 0;
            Encoding whole = t.encode(context, null, plain);
            Encoding alone = t.encode(question, null, plain);
            int contextSide = questionFirst ? 1 : 0;
            List<Integer> ids = new ArrayList<>();
            List<Integer> offsets = new ArrayList<>();
            for (int w = 0; w < windows.size(); w++) {
                Encoding window = windows.get(w);
                assertTrue(window.length() <= maxLength, where + " window " + w + " has " + window.length() + " tokens");
                assertTrue(w == 0 || window.overflowing().isEmpty(), where + " window " + w + " has windows of its own");
                List<Integer> questionIds = new ArrayList<>();
                int skip = w == 0 ? 0 : stride;
                int[] sequence = window.sequenceIds();
                for (int k = 0; k < window.length(); k++) {
                    if (sequence[k] == 1 - contextSide) {
                        questionIds.add(window.ids()[k]);
                    } else if (sequence[k] == contextSide && skip-- <= 0) {
                        ids.add(window.ids()[k]);
                        offsets.add(window.offsets()[2 * k]);
                        offsets.add(window.offsets()[2 * k + 1]);
                    }
                }
                assertEquals(boxed(alone.ids()), questionIds, where + " window " + w + " question");
                assertEquals(3, sum(window.specialTokensMask()), where + " window " + w + " special tokens");
            }
            assertEquals(boxed(whole.ids()), ids, where + " context ids");
            assertEquals(boxed(whole.offsets()), offsets, where + " context offsets");
        }
        assertTrue(multiWindow > 200, multiWindow + " of 300 contexts span several windows");
    }

    private static List<Integer> boxed(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }

    private static int sum(int[] values) {
        int s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }
}
