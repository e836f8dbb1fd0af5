package dev.spotlight.models.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TokenChooser} against transformers' processors evaluated by torch
 * ({@code goldens/generation/processors.py}), a chi-square test of the sampled frequencies, and a
 * full-sort reference of the transformers algorithm on a 128k vocabulary.
 */
class TokenChooserGoldenTest {
    private static final int DRAWS = 100_000;
    /** The 0.999 quantile of the standard normal, for the Wilson-Hilferty chi-square quantile. */
    private static final double Z_999 = 3.0902;

    static List<Arguments> cases() throws IOException {
        try (InputStream in = TokenChooserGoldenTest.class.getResourceAsStream("/goldens/generation/processors.json")) {
            List<Arguments> out = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(c -> out.add(Arguments.of(c.get("name").asText(), c)));
            return out;
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).isTextual() ? Float.parseFloat(array.get(i).asText()) : (float) array.get(i).asDouble();
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        return IntStream.range(0, array.size()).map(i -> array.get(i).asInt()).toArray();
    }

    private static TokenChooser chooser(JsonNode c, long seed) {
        GenerationOptions o = GenerationOptions.DEFAULTS.withSeed(seed)
                .withRepetitionPenalty(c.get("repetition_penalty").asDouble())
                .withDoSample(c.get("do_sample").asBoolean());
        if (c.get("do_sample").asBoolean()) {
            o = o.withTemperature(c.get("temperature").asDouble()).withTopK(c.get("top_k").asInt())
                    .withTopP(c.get("top_p").asDouble()).withMinP(c.get("min_p").asDouble());
        }
        return GenerationSettings.resolve(GenerationConfig.DEFAULTS, o).newChooser();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void processedScoresKeptTokensAndProbabilitiesMatchTorch(String name, JsonNode c) {
        float[] logits = floats(c.get("logits"));
        int[] ids = ints(c.get("ids"));
        TokenChooser chooser = chooser(c, 1);
        if (!c.get("do_sample").asBoolean()) {
            // the penalty is float arithmetic, bit for bit torch's
            assertArrayEquals(floats(c.get("penalised")), chooser.processed(logits, ids));
            assertEquals(c.get("argmax").asInt(), chooser.next(logits, ids));
            return;
        }
        assertArrayEquals(floats(c.get("tempered")), chooser.processed(logits, ids), "penalty and temperature, bit for bit");
        TokenChooser.Distribution d = chooser.distribution(logits, ids);
        assertArrayEquals(ints(c.get("kept")), d.ids(), "kept tokens");
        double[] torch = IntStream.of(d.ids()).mapToDouble(i -> c.get("probabilities").get(i).asDouble()).toArray();
        // torch's softmax is float32, ours double
        assertArrayEquals(torch, d.probabilities(), 2e-7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sampledFrequenciesFollowTheProcessedDistribution(String name, JsonNode c) {
        if (!c.get("do_sample").asBoolean()) {
            return;
        }
        float[] logits = floats(c.get("logits"));
        int[] ids = ints(c.get("ids"));
        double[] expected = IntStream.range(0, logits.length).mapToDouble(i -> c.get("probabilities").get(i).asDouble()).toArray();
        int[] counts = new int[logits.length];
        TokenChooser chooser = chooser(c, 20240613);
        for (int i = 0; i < DRAWS; i++) {
            counts[chooser.next(logits, ids)]++;
        }
        int kept = 0;
        for (int t = 0; t < logits.length; t++) {
            if (expected[t] == 0) {
                assertEquals(0, counts[t], "token " + t + " was filtered out but sampled");
            } else {
                kept++;
            }
        }
        if (kept < 2) {
            assertEquals(DRAWS, counts[ints(c.get("kept"))[0]]);
            return;
        }
        double critical = chiSquareQuantile999(kept - 1);
        double statistic = chiSquare(counts, expected);
        assertTrue(statistic < critical, "chi-square " + statistic + " >= " + critical + " for " + (kept - 1) + " degrees of freedom");
        // the same counts against a distribution with 1% of the probability moved between the two
        // likeliest tokens fail the test: it can tell
        double[] shifted = expected.clone();
        int[] order = IntStream.range(0, expected.length).boxed().sorted((a, b) -> Double.compare(expected[b], expected[a]))
                .mapToInt(Integer::intValue).toArray();
        shifted[order[0]] -= 0.01;
        shifted[order[1]] += 0.01;
        assertTrue(chiSquare(counts, shifted) > critical, "a 1% shift should be detected");
    }

    private static double chiSquare(int[] counts, double[] p) {
        double total = Arrays.stream(counts).sum();
        double s = 0;
        for (int t = 0; t < counts.length; t++) {
            if (p[t] > 0) {
                double e = total * p[t];
                s += (counts[t] - e) * (counts[t] - e) / e;
            }
        }
        return s;
    }

    /** Wilson-Hilferty: within about 3% of the exact quantile for one degree of freedom (larger), closer above. */
    private static double chiSquareQuantile999(int df) {
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + Z_999 * Math.sqrt(a), 3);
    }

    @Test
    void aLargeVocabularyKeepsWhatTheFullSortAlgorithmOfTransformersKeeps() {
        int vocab = 128_256;
        SplittableRandom r = new SplittableRandom(11);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (r.nextGaussian() * 2.5);
        }
        logits[77] = 9f;   // a confident leader, as language models often have
        // (temperature, top-k, top-p, min-p)
        double[][] settings = {{0.8, 0, 0.9, 0}, {1, 0, 0.5, 0.02}, {1, 50, 0.95, 0}, {1.5, 1000, 0.99, 0}, {2, 0, 0.999, 0},
                {0.7, 0, 1, 0.001}, {1, 40, 1, 0}};
        for (double[] s : settings) {
            GenerationOptions o = GenerationOptions.DEFAULTS.withSeed(5L).withDoSample(true).withTemperature(s[0])
                    .withTopK((int) s[1]).withTopP(s[2]).withMinP(s[3]);
            TokenChooser chooser = GenerationSettings.resolve(GenerationConfig.DEFAULTS, o).newChooser();
            int[] expected = referenceKept(logits, (float) s[0], (int) s[1], s[2], s[3]);
            TokenChooser.Distribution d = chooser.distribution(logits, new int[0]);
            assertArrayEquals(expected, d.ids(), "settings " + Arrays.toString(s));
            for (int i = 0; i < 10; i++) {
                int t = chooser.next(logits, new int[0]);
                assertTrue(Arrays.binarySearch(expected, t) >= 0, "sampled " + t + " outside the kept set");
            }
        }
    }

    /**
     * transformers' warpers written the slow, literal way: sort everything, remove from the bottom
     * while the ascending cumulative probability is at most 1 - top_p; equal scores rank lower id first.
     */
    private static int[] referenceKept(float[] logits, float temperature, int topK, double topP, double minP) {
        int n = logits.length;
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = logits[i] / temperature;
        }
        boolean[] alive = new boolean[n];
        Arrays.fill(alive, true);
        if (topK > 0 && topK < n) {
            float[] sorted = s.clone();
            Arrays.sort(sorted);
            float kth = sorted[n - topK];
            for (int i = 0; i < n; i++) {
                alive[i] = s[i] >= kth;
            }
        }
        if (topP < 1) {
            double[] p = probabilities(s, alive);
            Integer[] ascending = IntStream.range(0, n).filter(i -> alive[i]).boxed().toArray(Integer[]::new);
            Arrays.sort(ascending, (a, b) -> s[a] != s[b] ? Float.compare(s[a], s[b]) : Integer.compare(b, a));
            double cumulative = 0;
            for (int j = 0; j < ascending.length - 1; j++) {
                cumulative += p[ascending[j]];
                if (cumulative <= 1 - topP) {
                    alive[ascending[j]] = false;
                }
            }
        }
        if (minP > 0) {
            double[] p = probabilities(s, alive);
            double top = Arrays.stream(p).max().orElseThrow();
            for (int i = 0; i < n; i++) {
                alive[i] &= p[i] >= minP * top;
            }
        }
        return IntStream.range(0, n).filter(i -> alive[i]).toArray();
    }

    private static double[] probabilities(float[] s, boolean[] alive) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < s.length; i++) {
            if (alive[i]) {
                max = Math.max(max, s[i]);
            }
        }
        double[] p = new double[s.length];
        double z = 0;
        for (int i = 0; i < s.length; i++) {
            if (alive[i]) {
                p[i] = Math.exp(s[i] - max);
                z += p[i];
            }
        }
        for (int i = 0; i < s.length; i++) {
            p[i] /= z;
        }
        return p;
    }
}
