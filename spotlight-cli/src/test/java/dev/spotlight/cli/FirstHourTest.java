package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.pooling.SentencePooling;
import org.junit.jupiter.api.Test;

/** What a new user met in the first hour (issue 17): silent truncation, unchecked values, unstated pooling. */
class FirstHourTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        System.setProperty("spotlight.cache", System.getProperty("java.io.tmpdir") + "/spotlight-test-cache");
    }

    @Test
    void textsLongerThanTheModelTakesAreReportedWithTheirCount() {
        String longText = "word ".repeat(20_000);
        CliRun run = CliRun.run("embed", longText, "short");
        assertEquals(0, run.code(), run.err());
        assertEquals("spotlight: 1 of 2 text(s) were longer than all-minilm-l6-v2's limit of 128 tokens and were cut there;"
                + " the rest of each does not count in its embedding\n", run.err().replace(System.lineSeparator(), "\n"));
        CliRun similarity = CliRun.run("similarity", longText, longText);
        assertTrue(similarity.err().startsWith("spotlight: 2 of 2 text(s) were longer"), similarity.err());
        CliRun fits = CliRun.run("similarity", "short", "also short");
        assertEquals("", fits.err());
    }

    @Test
    void poolingIsNamedAndCanBeChosen() throws Exception {
        CliRun own = CliRun.run("embed", "Hello world");
        assertTrue(own.out().contains("all-minilm-l6-v2, 384 dims, mean pooling, L2-normalised: ["), own.out());
        CliRun cls = CliRun.run("embed", "--json", "--pooling", "cls", "--no-normalize", "Hello world");
        assertEquals(0, cls.code(), cls.err());
        JsonNode got = JSON.readTree(cls.out().lines().findFirst().orElseThrow()).get("embedding");
        try (EncoderModel model = Spotlight.load()) {
            float[] expected = model.withPooling(new SentencePooling(SentencePooling.Mode.CLS, false)).embed("Hello world");
            float[] actual = new float[got.size()];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = (float) got.get(i).asDouble();
            }
            assertArrayEquals(expected, actual);
            double norm = 0;
            for (float v : expected) {
                norm += v * v;
            }
            assertTrue(Math.abs(Math.sqrt(norm) - 1) > 0.01, "not normalised: |v| = " + Math.sqrt(norm));
        }
        CliRun bad = CliRun.run("similarity", "--pooling", "median", "a", "b");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("spotlight similarity: --pooling median: expected mean, cls or max"), bad.err());
    }

    @Test
    void tokenizeTakesABuiltinNameAndRefusesANegativeLength() {
        CliRun run = CliRun.run("tokenize", "--tokenizer", "all-minilm-l6-v2", "Hello, world!");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("[101, 7592, 1010, 2088, 999, 102, 0,"), run.out());
        CliRun negative = CliRun.run("tokenize", "--tokenizer", "all-minilm-l6-v2", "--padding", "max_length", "--max-length", "-5", "a");
        assertEquals(2, negative.code());
        assertTrue(negative.err().startsWith("spotlight tokenize: --max-length -5: expected a positive number of tokens"), negative.err());
        CliRun unused = CliRun.run("tokenize", "--tokenizer", "all-minilm-l6-v2", "--max-length", "5", "a");
        assertEquals(2, unused.code());
        assertTrue(unused.err().startsWith("spotlight tokenize: --max-length is used by --truncation and --padding max_length"),
                unused.err());
    }

    @Test
    void benchEncodeChecksItsOptionsBeforeLoading() {
        CliRun run = CliRun.run("bench", "encode", "--rounds", "0");
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("spotlight bench encode: --rounds 0: expected 1..100"), run.err());
        CliRun sentences = CliRun.run("bench", "encode", "--sentences", "5000");
        assertTrue(sentences.err().startsWith("spotlight bench encode: --sentences 5000: expected 32..2048"), sentences.err());
    }
}
