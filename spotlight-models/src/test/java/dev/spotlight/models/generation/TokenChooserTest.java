package dev.spotlight.models.generation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed cases for each processor and edge case of {@link TokenChooser}. */
class TokenChooserTest {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    private static final int[] NO_IDS = {};

    static TokenChooser chooser(GenerationOptions options) {
        return GenerationSettings.resolve(GenerationConfig.DEFAULTS, options.withSeed(options.seed() == null ? 7L : options.seed()))
                .newChooser();
    }

    static GenerationOptions sampling() {
        return GenerationOptions.DEFAULTS.withDoSample(true).withTopK(0);   // no default top-k 50 unless asked
    }

    private static float ln(double p) {
        return (float) Math.log(p);
    }

    @Test
    void greedyTakesTheFirstMaximumOnTies() {
        TokenChooser greedy = chooser(GenerationOptions.greedy());
        assertEquals(1, greedy.next(new float[]{1, 5, 5, 2}, NO_IDS));
        assertEquals(3, greedy.next(new float[]{NEG_INF, NEG_INF, -1e31f, -1e30f}, NO_IDS));
        assertEquals(2, greedy.next(new float[]{1, 2, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}, NO_IDS));
    }

    @Test
    void greedyReadsTheGivenSliceOfALargerLogitsArray() {
        float[] batch = {9, 9, 9, /* sequence 1: */ 0, 3, 1, /* sequence 2: */ 9, 9, 9};
        assertEquals(1, chooser(GenerationOptions.greedy()).next(batch, 3, 3, new int[]{1, 2, 0}, 0));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScores() {
        TokenChooser greedy = chooser(GenerationOptions.greedy().withRepetitionPenalty(2.0));
        // 3 / 2 = 1.5 < 2: the seen leader loses
        assertEquals(1, greedy.next(new float[]{3, 2, -1}, new int[]{0}));
        // -1 * 2 = -2 < -1.5: a negative seen score goes further down, not up
        assertEquals(1, greedy.next(new float[]{-1, -1.5f, -3}, new int[]{0}));
        // 0 is divided (stays 0); the unseen -0.5 stays below it
        assertEquals(0, greedy.next(new float[]{0, -0.5f}, new int[]{0}));
    }

    @Test
    void repetitionPenaltyAppliesOncePerDistinctId() {
        // once: 3 / 2 = 1.5 > 1; twice would be 0.75 < 1
        assertEquals(0, chooser(GenerationOptions.greedy().withRepetitionPenalty(2.0)).next(new float[]{3, 1}, new int[]{0, 0, 0}));
    }

    @Test
    void repetitionPenaltyBelowOneRewardsSeenTokens() {
        // 1.5 / 0.5 = 3 > 2.5
        assertEquals(0, chooser(GenerationOptions.greedy().withRepetitionPenalty(0.5)).next(new float[]{1.5f, 2.5f}, new int[]{0}));
    }

    @Test
    void repetitionPenaltyIsComputedInFloatLikeTorch() {
        // 0.7f / 1.2f and -2.5f * 1.2f in float; probabilities follow from exactly those floats
        float seen = 0.7f / 1.2f;
        float seenNegative = -2.5f * 1.2f;
        TokenChooser.Distribution d = chooser(sampling().withRepetitionPenalty(1.2)).distribution(new float[]{0.7f, -2.5f, 0}, new int[]{0, 1});
        double z = Math.exp(seen) + Math.exp(seenNegative) + 1;
        assertArrayEquals(new double[]{Math.exp(seen) / z, Math.exp(seenNegative) / z, 1 / z}, d.probabilities(), 1e-15);
    }

    @Test
    void temperatureDividesTheScoresBeforeTheSoftmax() {
        TokenChooser.Distribution d = chooser(sampling().withTemperature(0.5)).distribution(new float[]{0, 1, 2}, NO_IDS);
        double z = 1 + Math.exp(2) + Math.exp(4);
        assertArrayEquals(new int[]{0, 1, 2}, d.ids());
        assertArrayEquals(new double[]{1 / z, Math.exp(2) / z, Math.exp(4) / z}, d.probabilities(), 1e-15);
    }

    @Test
    void topKKeepsEveryTokenTiedWithTheKthScore() {
        TokenChooser.Distribution d = chooser(sampling().withTopK(2)).distribution(new float[]{1, 3, 3, 2, 3}, NO_IDS);
        assertArrayEquals(new int[]{1, 2, 4}, d.ids());
        assertArrayEquals(new double[]{1 / 3.0, 1 / 3.0, 1 / 3.0}, d.probabilities(), 1e-15);
    }

    @Test
    void topKAtOrAboveTheVocabularySizeKeepsEverything() {
        float[] logits = {0, 1, 2, 3, 4};
        for (int k : new int[]{5, 6, 100_000}) {
            assertArrayEquals(new int[]{0, 1, 2, 3, 4}, chooser(sampling().withTopK(k)).distribution(logits, NO_IDS).ids(), "k " + k);
        }
        assertArrayEquals(new int[]{1, 2, 3, 4}, chooser(sampling().withTopK(4)).distribution(logits, NO_IDS).ids());
    }

    @Test
    void topPKeepsTheSmallestSetOfLikeliestTokensReachingP() {
        // probabilities 0.5, 0.3, 0.15, 0.05 (as logits ln p)
        float[] logits = {ln(0.3), ln(0.05), ln(0.5), ln(0.15)};
        assertArrayEquals(new int[]{2}, chooser(sampling().withTopP(0.45)).distribution(logits, NO_IDS).ids());
        assertArrayEquals(new int[]{0, 2}, chooser(sampling().withTopP(0.75)).distribution(logits, NO_IDS).ids());
        assertArrayEquals(new int[]{0, 2, 3}, chooser(sampling().withTopP(0.85)).distribution(logits, NO_IDS).ids());
        assertArrayEquals(new int[]{0, 1, 2, 3}, chooser(sampling().withTopP(0.99)).distribution(logits, NO_IDS).ids());
        TokenChooser.Distribution kept = chooser(sampling().withTopP(0.75)).distribution(logits, NO_IDS);
        assertArrayEquals(new double[]{0.3 / 0.8, 0.5 / 0.8}, kept.probabilities(), 1e-7);
    }

    @Test
    void topPAlwaysKeepsTheMostLikelyToken() {
        float[] logits = {1, 2, 0};
        assertArrayEquals(new int[]{1}, chooser(sampling().withTopP(0.0)).distribution(logits, NO_IDS).ids());
        assertArrayEquals(new int[]{1}, chooser(sampling().withTopP(1e-12)).distribution(logits, NO_IDS).ids());
    }

    @Test
    void topPBreaksTiesTowardsLowerIds() {
        // four equal tokens, p 0.5: two are needed, the two lowest ids stay
        assertArrayEquals(new int[]{0, 1}, chooser(sampling().withTopP(0.5)).distribution(new float[]{2, 2, 2, 2}, NO_IDS).ids());
        assertArrayEquals(new int[]{1, 3}, chooser(sampling().withTopP(0.4)).distribution(new float[]{1, 2, 1, 2}, NO_IDS).ids());
    }

    @Test
    void minPRemovesTokensBelowItsFractionOfTheMostLikely() {
        // relative to the top token: 1, 0.5, 0.05, 0.2
        float[] logits = {0, ln(0.5), ln(0.05), ln(0.2)};
        assertArrayEquals(new int[]{0, 1, 3}, chooser(sampling().withMinP(0.1)).distribution(logits, NO_IDS).ids());
        assertArrayEquals(new int[]{0, 1}, chooser(sampling().withMinP(0.3)).distribution(logits, NO_IDS).ids());
        assertArrayEquals(new int[]{0}, chooser(sampling().withMinP(1.0)).distribution(logits, NO_IDS).ids());
    }

    @Test
    void warpersRunInTransformersOrderTemperatureTopKTopPMinP() {
        float[] logits = {ln(0.4), ln(0.3), ln(0.2), ln(0.1)};
        // temperature 0.5 squares the odds: 0.16 : 0.09 : 0.04 : 0.01 -> top-p 0.8 needs only the first two
        // (0.16 + 0.09 = 0.25 of 0.30 = 0.83); before the temperature it would need three
        assertArrayEquals(new int[]{0, 1}, chooser(sampling().withTemperature(0.5).withTopP(0.8)).distribution(logits, NO_IDS).ids());
        // top-k 3 first, then top-p over the renormalised three: 0.4 / 0.9 = 0.44 < 0.5, so two stay
        assertArrayEquals(new int[]{0, 1}, chooser(sampling().withTopK(3).withTopP(0.5)).distribution(logits, NO_IDS).ids());
        // min-p after top-p: the survivors {0, 1, 2} lose 2 (0.2 < 0.6 * 0.4)
        assertArrayEquals(new int[]{0, 1}, chooser(sampling().withTopP(0.85).withMinP(0.6)).distribution(logits, NO_IDS).ids());
    }

    @Test
    void negativeInfinityLogitsAreNeverSampled() {
        TokenChooser.Distribution d = chooser(sampling()).distribution(new float[]{NEG_INF, 0, NEG_INF, 0}, NO_IDS);
        assertArrayEquals(new int[]{1, 3}, d.ids());
        TokenChooser c = chooser(sampling());
        for (int i = 0; i < 1000; i++) {
            int t = c.next(new float[]{NEG_INF, 0, NEG_INF, 0}, NO_IDS);
            assertTrue(t == 1 || t == 3, "sampled " + t);
        }
        assertArrayEquals(new int[]{1}, chooser(sampling().withTopK(1)).distribution(new float[]{NEG_INF, 0, NEG_INF, NEG_INF}, NO_IDS).ids());
    }

    /**
     * logits / T overflows float32 for a tiny T (and 1e-300 is 0 as a float): torch's softmax then gives NaN.
     * The distribution itself is defined for every T > 0 and tends to the greedy choice; the shifted scores
     * (x − max) / T compute it without infinities (found by fuzzing the server: `"temperature": 1e-300` failed
     * the whole batch). A temperature that does not overflow keeps the bits of x / T.
     */
    @Test
    void aTemperatureSoSmallThatScoresOverflowSamplesTheMaximum() {
        float[] logits = {1.5f, 12f, -3f, 11.999f};
        for (double t : new double[] {1e-37, 1e-40, 1e-300, Double.MIN_VALUE}) {
            TokenChooser.Distribution d = chooser(sampling().withTemperature(t)).distribution(logits, NO_IDS);
            for (int k = 0; k < d.ids().length; k++) {
                assertEquals(d.ids()[k] == 1 ? 1.0 : 0.0, d.probabilities()[k], 0.0, "temperature " + t + ", token " + d.ids()[k]);
            }
            TokenChooser c = chooser(sampling().withTemperature(t).withTopP(0.9).withMinP(0.1));
            for (int i = 0; i < 20; i++) {
                assertEquals(1, c.next(logits, NO_IDS), "temperature " + t);
            }
        }
        float[] scores = chooser(sampling().withTemperature(0.5)).processed(logits, NO_IDS);
        for (int i = 0; i < logits.length; i++) {
            assertEquals(Float.floatToIntBits(logits[i] / 0.5f), Float.floatToIntBits(scores[i]), "token " + i);
        }
    }

    @Test
    void invalidLogitsAreClearErrors() {
        float[] nan = {0, Float.NaN, 1};
        String greedy = assertThrows(IllegalArgumentException.class, () -> chooser(GenerationOptions.greedy()).next(nan, NO_IDS)).getMessage();
        assertEquals("logit of token 1 is NaN: the model produced an invalid number", greedy);
        String sampled = assertThrows(IllegalArgumentException.class, () -> chooser(sampling()).next(nan, NO_IDS)).getMessage();
        assertTrue(sampled.startsWith("logit of token 1 is NaN"), sampled);
        String inf = assertThrows(IllegalArgumentException.class,
                () -> chooser(sampling()).next(new float[]{0, Float.POSITIVE_INFINITY}, NO_IDS)).getMessage();
        assertTrue(inf.contains("sampling needs finite logits"), inf);
        for (TokenChooser c : List.of(chooser(GenerationOptions.greedy()), chooser(sampling()))) {
            String all = assertThrows(IllegalArgumentException.class, () -> c.next(new float[]{NEG_INF, NEG_INF}, NO_IDS)).getMessage();
            assertEquals("all 2 logits are -Infinity: no token can be chosen", all);
        }
    }

    @Test
    void outOfRangeArgumentsAreRejected() {
        TokenChooser c = chooser(GenerationOptions.greedy().withRepetitionPenalty(1.1));
        assertThrows(IllegalArgumentException.class, () -> c.next(new float[]{1, 2}, new int[]{2}));
        assertThrows(IllegalArgumentException.class, () -> c.next(new float[]{1, 2}, new int[]{-1}));
        assertThrows(IllegalArgumentException.class, () -> c.next(new float[]{1, 2}, 1, 2, NO_IDS, 0));
        assertThrows(IllegalArgumentException.class, () -> c.next(new float[]{1, 2}, 0, 2, new int[]{0}, 2));
    }

    @Test
    void theLogitsAndIdsAreNotWritten() {
        float[] logits = {3, 2, -1, 0.5f};
        int[] ids = {0, 2};
        chooser(sampling().withRepetitionPenalty(1.5).withTemperature(0.7).withTopK(3).withTopP(0.9)).next(logits, ids);
        assertArrayEquals(new float[]{3, 2, -1, 0.5f}, logits);
        assertArrayEquals(new int[]{0, 2}, ids);
    }

    @Test
    void eachSampledStepTakesExactlyOneDrawFromTheSeededStream() {
        // two equal tokens: token = u < 0.5 ? 0 : 1, with u the next double of SplitMix64(seed)
        SplitMix64 reference = new SplitMix64(12345);
        TokenChooser c = chooser(sampling().withSeed(12345L));
        for (int step = 0; step < 200; step++) {
            assertEquals(reference.nextDouble() < 0.5 ? 0 : 1, c.next(new float[]{0.25f, 0.25f}, NO_IDS), "step " + step);
        }
    }

    @Test
    void theSameSeedGivesTheSameTokensAloneOrInterleavedWithOtherSequences() {
        float[] logits = {0.1f, 0.5f, -0.3f, 1.2f, 0.9f, 0f};
        GenerationOptions options = sampling().withTemperature(0.9).withSeed(99L);
        TokenChooser alone = chooser(options);
        int[] aloneTokens = new int[300];
        for (int i = 0; i < aloneTokens.length; i++) {
            aloneTokens[i] = alone.next(logits, NO_IDS);
        }
        // in a batch: each sequence has its own chooser from the same settings; another sequence's steps
        // (different logits, greedy or sampled) must not move this one's stream
        GenerationSettings settings = GenerationSettings.resolve(GenerationConfig.DEFAULTS, options);
        TokenChooser inBatch = settings.newChooser();
        TokenChooser neighbour = settings.newChooser();
        int[] batchTokens = new int[300];
        for (int i = 0; i < batchTokens.length; i++) {
            neighbour.next(new float[]{2, 1, 0, 0, 0, 0}, NO_IDS);
            batchTokens[i] = inBatch.next(logits, NO_IDS);
            neighbour.next(new float[]{0, 0, 0, 3, 1, 0}, NO_IDS);
        }
        assertArrayEquals(aloneTokens, batchTokens);
        TokenChooser otherSeed = chooser(options.withSeed(100L));
        int[] otherTokens = new int[300];
        for (int i = 0; i < otherTokens.length; i++) {
            otherTokens[i] = otherSeed.next(logits, NO_IDS);
        }
        assertNotEquals(Arrays.toString(aloneTokens), Arrays.toString(otherTokens));
    }

    @Test
    void kthLargestMatchesASortOnRandomInput() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + r.nextInt(300);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(4) == 0 ? (float) r.nextInt(5) : (float) r.nextGaussian();   // many ties
            }
            int k = 1 + r.nextInt(n - 1);
            float[] sorted = x.clone();
            Arrays.sort(sorted);
            assertEquals(sorted[n - k], TokenChooser.kthLargest(x, n, k, new float[k]), "n " + n + " k " + k);
        }
    }
}
