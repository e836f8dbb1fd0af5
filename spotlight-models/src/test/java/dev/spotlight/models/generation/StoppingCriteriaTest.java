package dev.spotlight.models.generation;

import dev.spotlight.models.decoder.SharedModels;
import dev.spotlight.tokenizers.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoppingCriteriaTest {
    private static final int PROMPT = 2;

    /** Feeds one text per generated token (nothing held back); returns the step that finished (1-based) and how. */
    private static Finished run(List<String> stops, String preceding, String... tokenTexts) {
        StoppingCriteria c = new StoppingCriteria(List.of(99), stops, PROMPT, 100, preceding);
        int[] ids = new int[PROMPT + tokenTexts.length];
        for (int i = 0; i < tokenTexts.length; i++) {
            ids[PROMPT + i] = 10 + i;
            Optional<Finish> f = c.check(ids, PROMPT + i + 1, tokenTexts[i], "");
            if (f.isPresent()) {
                return new Finished(i + 1, f.get());
            }
        }
        return null;
    }

    private record Finished(int step, Finish finish) {
    }

    @Test
    void stopStringsMatchAcrossTokensAndInsideTokensAsTransformersDocuments() {
        // transformers' StopStringCriteria examples for "stop": each matches at its last token, not before
        for (List<String> tokens : List.of(List.of("st", "op"), List.of("stop"), List.of("st", "opera"), List.of("sto", "pper"),
                List.of("las", "topper"), List.of("s", "to", "pped"), List.of("x", "unstoppable"))) {
            Finished f = run(List.of("stop"), "", tokens.toArray(String[]::new));
            assertEquals(tokens.size(), f == null ? -1 : f.step(), tokens.toString());
            assertEquals(Finish.stopString("stop", tokens.getFirst().equals("x") ? 3 : tokens.getFirst().equals("las") ? 2 : 0),
                    f.finish(), tokens.toString());
        }
    }

    @Test
    void aStopStringAlreadyInEarlierTextDoesNotMatchAgain() {
        // ["stop", "at"] finishes at "stop"; a stop string lying wholly in the prompt never finishes
        assertEquals(1, run(List.of("stop"), "", "stop", "at").step());
        assertEquals(null, run(List.of("stop"), "please stop", "at", " once"));
    }

    @Test
    void aStopStringMayBeginInThePrompt() {
        Finished f = run(List.of("stop"), "Hello st", "op", "x");
        assertEquals(1, f.step());
        assertEquals(Finish.stopString("stop", 0), f.finish());
    }

    @Test
    void theEarliestStartingStopStringWins() {
        Finished f = run(List.of("cd", "bcde"), "", "ab", "cdef");
        assertEquals(Finish.stopString("bcde", 1), f.finish());
    }

    @Test
    void textStillHeldBackByTheStreamCountsAtTheTokenThatCompletesIt() {
        StoppingCriteria c = new StoppingCriteria(List.of(), List.of("€"), 1, 100, "");
        int[] ids = {1, 7, 8, 9, 10};
        // byte-fallback run E2 82 AC: the stream releases nothing yet, but its pending text becomes "€"
        assertTrue(c.check(ids, 2, "", "\uFFFD").isEmpty());
        assertTrue(c.check(ids, 3, "", "\uFFFD\uFFFD").isEmpty());
        assertEquals(Finish.stopString("€", 0), c.check(ids, 4, "", "€").orElseThrow());
        // byte-level: an incomplete character is one U+FFFD until the last byte arrives
        StoppingCriteria b = new StoppingCriteria(List.of(), List.of("a€"), 1, 100, "");
        assertTrue(b.check(ids, 2, "a", "\uFFFD").isEmpty());
        assertEquals(Finish.stopString("a€", 0), b.check(ids, 3, "€", "").orElseThrow());
    }

    @Test
    void eosWinsOverAStopStringWhichWinsOverTheLength() {
        StoppingCriteria c = new StoppingCriteria(List.of(5, 6), List.of("end"), 1, 2, "");
        assertEquals(FinishReason.EOS, c.check(new int[]{1, 6}, 2, "end", "").orElseThrow().reason());
        StoppingCriteria d = new StoppingCriteria(List.of(5, 6), List.of("end"), 1, 2, "");
        assertTrue(d.check(new int[]{1, 3, 4}, 2, "x", "").isEmpty());
        assertEquals(FinishReason.STOP_STRING, d.check(new int[]{1, 3, 4}, 3, "end", "").orElseThrow().reason());
        StoppingCriteria e = new StoppingCriteria(List.of(5, 6), List.of("end"), 1, 2, "");
        e.check(new int[]{1, 3, 4}, 2, "x", "");
        assertEquals(FinishReason.LENGTH, e.check(new int[]{1, 3, 4}, 3, "y", "").orElseThrow().reason());
        StoppingCriteria any = new StoppingCriteria(List.of(5, 6), List.of(), 1, 10, "");
        assertEquals(FinishReason.EOS, any.check(new int[]{1, 5}, 2, "", "").orElseThrow().reason());
    }

    @Test
    void theReturnedTextKeepsOrDropsTheStopString() {
        Finish f = run(List.of("stop"), "", "Hello ", "st", "opera").finish();
        int[] prompt = {1, 2};
        int[] generated = {10, 11, 12};
        assertEquals("Hello stopera", GenerationResult.of(prompt, generated, f, "Hello stopera", true).text());
        assertEquals("Hello ", GenerationResult.of(prompt, generated, f, "Hello stopera", false).text());
        assertEquals("Hi", GenerationResult.of(prompt, generated, Finish.eos(), "Hi", false).text());
    }

    @Test
    void aStopStringMadeOfByteFallbackTokensMatchesThroughTheStream() {
        Tokenizer tokenizer = Tokenizer.fromFile(SharedModels.require("stories260K").resolve("hf/tokenizer.json"));
        int[] prompt = tokenizer.encode("The price is").ids();
        int[] euro = {0xE2 + 3, 0x82 + 3, 0xAC + 3};   // <0xE2> <0x82> <0xAC>: byte b is id b + 3
        TextStream stream = new TextStream(tokenizer, true, prompt);
        StoppingCriteria stop = new StoppingCriteria(List.of(2), List.of(" 5€"), prompt.length, 50, stream.contextText());
        int[] generated = {tokenizer.tokenToId("▁").orElseThrow(), tokenizer.tokenToId("5").orElseThrow(), euro[0], euro[1], euro[2]};
        int[] ids = Arrays.copyOf(prompt, prompt.length + generated.length);
        int length = prompt.length;
        Finish finish = null;
        for (int id : generated) {
            ids[length++] = id;
            String text = stream.push(id);
            finish = stop.check(ids, length, text, stream.pending()).orElse(null);
            if (finish != null) {
                break;
            }
        }
        assertEquals(ids.length, length, "finished at the token completing the euro sign");
        assertEquals(Finish.stopString(" 5€", 0), finish);
        stream.finish();
        assertEquals(" 5€", stream.text());
    }
}
