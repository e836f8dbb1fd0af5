package dev.spotlight.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.spotlight.tensor.Parallel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fused attention against a direct double-precision computation, for every mask kind, and for bitwise invariance. */
class AttentionTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void everyMaskKindMatchesTheReferenceAndReturnsExactProbabilities() {
        Random random = new Random(5);
        int[] lensQ = {1, 7, 20, 33};
        int[] lensK = {1, 9, 20, 40};
        boolean[][] custom = new boolean[lensQ.length][];
        for (int s = 0; s < lensQ.length; s++) {
            custom[s] = new boolean[lensQ[s] * lensK[s]];
            for (int i = 0; i < custom[s].length; i++) {
                custom[s][i] = random.nextInt(3) != 0;
            }
        }
        Arrays.fill(custom[2], 0, lensK[2], false);  // query 0 of sequence 2 sees nothing
        Mask[] masks = {Mask.NONE, Mask.causal(), Mask.slidingWindow(4), Mask.custom(custom)};
        for (Mask mask : masks) {
            for (int[] heads : new int[][] {{4, 4}, {4, 2}, {3, 1}}) {
                for (boolean withBias : new boolean[] {false, true}) {
                    check(random, lensQ, lensK, heads[0], heads[1], 17, mask,
                            withBias ? (s, h, i, j) -> 0.1f * (h + 1) * (j - i) : null);
                }
            }
        }
    }

    @Test
    void headSizesOfWholeVectorsAndLongKeyRangesMatchTheReference() {
        Random random = new Random(8);
        int[] lensQ = {3, 66, 70};
        int[] lensK = {150, 66, 5};
        for (Mask mask : new Mask[] {Mask.NONE, Mask.causal(), Mask.slidingWindow(37)}) {
            for (int hd : new int[] {32, 64, 40}) {
                check(random, lensQ, lensK, 2, 1, hd, mask, null);
            }
        }
    }

    @Test
    void keyBlocksACustomMaskHidesAreSkippedAndTheResultStaysExact() {
        Random random = new Random(9);
        int[] lensQ = {37, 64, 9};
        int[] lensK = {150, 64, 200};
        boolean[][] allowed = new boolean[lensQ.length][];
        for (int s = 0; s < lensQ.length; s++) {
            allowed[s] = new boolean[lensQ[s] * lensK[s]];
            for (int i = 0; i < lensQ[s]; i++) {
                for (int j = 0; j < lensK[s]; j++) {
                    // whole 16- and 64-key blocks hidden from whole tiles of rows, plus scattered holes
                    boolean blockVisible = (i / 4 + j / 16) % 3 != 0 && (j / 64 != 1 || i >= 8);
                    allowed[s][i * lensK[s] + j] = blockVisible && random.nextInt(5) != 0;
                }
            }
        }
        for (int hd : new int[] {32, 17}) {
            check(random, lensQ, lensK, 2, 2, hd, Mask.custom(allowed), null);
            check(random, lensQ, lensK, 2, 2, hd, Mask.custom(allowed), (s, h, i, j) -> 0.01f * (i - j));
        }
    }

    @Test
    void aCausalRowDecodedAloneHasThePrefillsBits() {
        Random random = new Random(10);
        int heads = 2;
        int hd = 64;
        int len = 45;
        float[] q = GemmTest.random(random, len * heads * hd);
        float[] k = GemmTest.random(random, len * heads * hd);
        float[] v = GemmTest.random(random, len * heads * hd);
        float scale = (float) (1 / Math.sqrt(hd));
        for (Mask mask : new Mask[] {Mask.causal(), Mask.slidingWindow(20)}) {
            float[] prefill = new float[q.length];
            Attention.forward(new AttentionRequest(q, k, v, prefill, new int[] {0, len}, new int[] {0, len}, heads, heads, hd,
                    scale, mask, null, null, null, false, null));
            for (int i = 0; i < len; i++) {
                // query i alone against keys [0, i]: what a decoder computes with a KV cache
                int row = heads * hd;
                float[] one = new float[row];
                Attention.forward(new AttentionRequest(Arrays.copyOfRange(q, i * row, i * row + row), k, v, one,
                        new int[] {0, 1}, new int[] {0, i + 1}, heads, heads, hd, scale, mask, null, null, null, false, null));
                assertArrayEquals(Arrays.copyOfRange(prefill, i * row, i * row + row), one, mask + " query " + i);
            }
        }
    }

    @Test
    void aDecodeRowsGroupedQueryHeadsShareTilesWithThePrefillsBits() {
        // One query row per sequence: the query heads of a key/value head run as the rows of one tile
        // (groups of 2, 3, 4 and 5 heads: tiles of 2, 3, 4, and 4 + 1). Each head's output and
        // probabilities must keep the bits of its row in the prefill, where rows of one head share tiles,
        // token-major over packed keys and head-major over a cache, in a batch with a longer sequence.
        Random random = new Random(12);
        int hd = 40;
        int len = 37;
        for (int[] heads : new int[][] {{4, 2}, {9, 3}, {8, 2}, {5, 1}}) {
            int qHeads = heads[0];
            int kvHeads = heads[1];
            float[] q = GemmTest.random(random, len * qHeads * hd);
            float[] k = GemmTest.random(random, len * kvHeads * hd);
            float[] v = GemmTest.random(random, len * kvHeads * hd);
            float scale = (float) (1 / Math.sqrt(hd));
            float[] prefill = new float[q.length];
            float[][] prefillProbs = {new float[qHeads * len * len]};
            Attention.forward(new AttentionRequest(q, k, v, prefill, new int[] {0, len}, new int[] {0, len}, qHeads, kvHeads,
                    hd, scale, Mask.causal(), null, prefillProbs, null, false, null));
            int row = qHeads * hd;
            for (int i : new int[] {0, 1, 17, len - 1}) {
                // sequence 0: query i against keys [0, i]; sequence 1: 5 query rows over the whole length
                int[] cuQ = {0, 1, 6};
                int[] cuK = {0, i + 1, i + 1 + len};
                float[] qs = new float[6 * row];
                System.arraycopy(q, i * row, qs, 0, row);
                System.arraycopy(q, 0, qs, row, 5 * row);
                float[] ks = new float[(i + 1 + len) * kvHeads * hd];
                float[] vs = new float[ks.length];
                System.arraycopy(k, 0, ks, 0, (i + 1) * kvHeads * hd);
                System.arraycopy(k, 0, ks, (i + 1) * kvHeads * hd, len * kvHeads * hd);
                System.arraycopy(v, 0, vs, 0, (i + 1) * kvHeads * hd);
                System.arraycopy(v, 0, vs, (i + 1) * kvHeads * hd, len * kvHeads * hd);
                float[] packed = new float[qs.length];
                float[][] probs = {new float[qHeads * (i + 1)], new float[qHeads * 5 * len]};
                Attention.forward(new AttentionRequest(qs, ks, vs, packed, cuQ, cuK, qHeads, kvHeads, hd, scale,
                        Mask.causal(), null, probs, null, false, null));
                float[] cached = new float[qs.length];
                Attention.forward(AttentionRequest.overCache(headMajor(qs, 6, qHeads, hd), cached, cuQ, cuK, qHeads, kvHeads, hd,
                        cacheBlocks(ks, vs, cuK, kvHeads, hd, 3)).withHeadMajorInputs().withMask(Mask.causal()).withScale(scale));
                String where = qHeads + "/" + kvHeads + " heads, query " + i;
                assertArrayEquals(Arrays.copyOfRange(prefill, i * row, i * row + row), Arrays.copyOf(packed, row), where);
                assertArrayEquals(Arrays.copyOf(packed, row), Arrays.copyOf(cached, row), where + ", over a cache");
                for (int h = 0; h < qHeads; h++) {
                    int at = (h * len + i) * len;
                    assertArrayEquals(Arrays.copyOfRange(prefillProbs[0], at, at + i + 1),
                            Arrays.copyOfRange(probs[0], h * (i + 1), (h + 1) * (i + 1)), where + ", probabilities of head " + h);
                }
            }
        }
    }

    @Test
    void selfAttentionOfOneSequenceIsBitwiseTheSameAloneOrPacked() {
        Random random = new Random(6);
        int heads = 4;
        int hd = 32;
        int[] lens = {50, 13, 128, 1};
        int total = Arrays.stream(lens).sum();
        float[] q = GemmTest.random(random, total * heads * hd);
        float[] k = GemmTest.random(random, total * heads * hd);
        float[] v = GemmTest.random(random, total * heads * hd);
        int[] cu = cumulative(lens);
        int s = 2;
        int from = cu[s] * heads * hd;
        int to = cu[s + 1] * heads * hd;
        Parallel.setThreads(1);
        float[] alone = new float[to - from];
        float[][] aloneProbs = {new float[heads * lens[s] * lens[s]]};
        Attention.forward(AttentionRequest.selfAttention(Arrays.copyOfRange(q, from, to), Arrays.copyOfRange(k, from, to),
                Arrays.copyOfRange(v, from, to), alone, new int[] {0, lens[s]}, heads, hd).withProbabilities(aloneProbs, null));
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] out = new float[total * heads * hd];
            float[][] probs = new float[lens.length][];
            for (int i = 0; i < lens.length; i++) {
                probs[i] = new float[heads * lens[i] * lens[i]];
            }
            Attention.forward(AttentionRequest.selfAttention(q, k, v, out, cu, heads, hd).withProbabilities(probs, null));
            assertArrayEquals(alone, Arrays.copyOfRange(out, from, to), threads + " threads");
            assertArrayEquals(aloneProbs[0], probs[s], threads + " threads, probabilities");
        }
    }

    @Test
    void probabilitiesAreWrittenOnlyForChosenHeads() {
        Random random = new Random(7);
        int[] cu = {0, 5};
        float[] q = GemmTest.random(random, 5 * 2 * 8);
        float[][] probs = {new float[2 * 25]};
        Arrays.fill(probs[0], -1f);
        Attention.forward(AttentionRequest.selfAttention(q, q, q, new float[q.length], cu, 2, 8)
                .withProbabilities(probs, new boolean[] {false, true}));
        for (int i = 0; i < 25; i++) {
            assertEquals(-1f, probs[0][i], "head 0 untouched");
            assertFalse(probs[0][25 + i] < 0, "head 1 written");
        }
    }

    /**
     * Token-major k and v [tokens, kvHeads · hd] copied into per-sequence cache blocks as a KV cache
     * holds them: keys transposed [kvHeads, hd, capacity], values [kvHeads, capacity, hd], capacity
     * the keys plus at least {@code spare} positions, rounded up to the kernel's alignment.
     */
    static AttentionRequest.CachedKeysValues cacheBlocks(float[] k, float[] v, int[] cuK, int kvHeads, int hd, int spare) {
        int batch = cuK.length - 1;
        int alignment = AttentionRequest.CachedKeysValues.ALIGNMENT;
        float[][] keys = new float[batch][];
        float[][] values = new float[batch][];
        int[] capacity = new int[batch];
        for (int s = 0; s < batch; s++) {
            int len = cuK[s + 1] - cuK[s];
            capacity[s] = Math.ceilDiv(len + spare, alignment) * alignment;
            keys[s] = new float[kvHeads * capacity[s] * hd];
            values[s] = new float[keys[s].length];
            java.util.Arrays.fill(keys[s], Float.NaN);  // spare positions must never reach a result
            java.util.Arrays.fill(values[s], Float.NaN);
            for (int j = 0; j < len; j++) {
                for (int h = 0; h < kvHeads; h++) {
                    int from = ((cuK[s] + j) * kvHeads + h) * hd;
                    for (int d = 0; d < hd; d++) {
                        keys[s][(h * hd + d) * capacity[s] + j] = k[from + d];
                    }
                    System.arraycopy(v, from, values[s], (h * capacity[s] + j) * hd, hd);
                }
            }
        }
        return new AttentionRequest.CachedKeysValues(keys, values, capacity);
    }

    /** [tokens, heads · hd] → [heads, tokens, hd]. */
    static float[] headMajor(float[] x, int tokens, int heads, int hd) {
        float[] out = new float[x.length];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                System.arraycopy(x, (t * heads + h) * hd, out, (h * tokens + t) * hd, hd);
            }
        }
        return out;
    }

    private static void check(Random random, int[] lensQ, int[] lensK, int qHeads, int kvHeads, int hd, Mask mask,
                              AttentionBias bias) {
        int[] cuQ = cumulative(lensQ);
        int[] cuK = cumulative(lensK);
        int batch = lensQ.length;
        float[] q = GemmTest.random(random, cuQ[batch] * qHeads * hd);
        float[] k = GemmTest.random(random, cuK[batch] * kvHeads * hd);
        float[] v = GemmTest.random(random, cuK[batch] * kvHeads * hd);
        float[] out = new float[q.length];
        float[][] probs = new float[batch][];
        for (int s = 0; s < batch; s++) {
            probs[s] = new float[qHeads * lensQ[s] * lensK[s]];
        }
        float scale = (float) (1 / Math.sqrt(hd));
        Attention.forward(new AttentionRequest(q, k, v, out, cuQ, cuK, qHeads, kvHeads, hd, scale, mask, bias, probs, null,
                false, null));
        // the same request on head-major q, k, v: the same bits
        float[] outHeadMajor = new float[q.length];
        float[][] probsHeadMajor = new float[batch][];
        for (int s = 0; s < batch; s++) {
            probsHeadMajor[s] = new float[probs[s].length];
        }
        Attention.forward(new AttentionRequest(headMajor(q, cuQ[batch], qHeads, hd), headMajor(k, cuK[batch], kvHeads, hd),
                headMajor(v, cuK[batch], kvHeads, hd), outHeadMajor, cuQ, cuK, qHeads, kvHeads, hd, scale, mask, bias,
                probsHeadMajor, null, true, null));
        assertArrayEquals(out, outHeadMajor, "head-major inputs");
        for (int s = 0; s < batch; s++) {
            assertArrayEquals(probs[s], probsHeadMajor[s], "head-major inputs, probabilities of sequence " + s);
        }
        // the same keys and values held per sequence in cache blocks with spare capacity: the same bits
        float[] outCached = new float[q.length];
        float[][] probsCached = new float[batch][];
        for (int s = 0; s < batch; s++) {
            probsCached[s] = new float[probs[s].length];
        }
        Attention.forward(AttentionRequest.overCache(q, outCached, cuQ, cuK, qHeads, kvHeads, hd,
                        cacheBlocks(k, v, cuK, kvHeads, hd, 3))
                .withMask(mask).withBias(bias).withProbabilities(probsCached, null));
        assertArrayEquals(out, outCached, "keys and values from cache blocks");
        for (int s = 0; s < batch; s++) {
            assertArrayEquals(probs[s], probsCached[s], "cache blocks, probabilities of sequence " + s);
        }
        for (int s = 0; s < batch; s++) {
            for (int h = 0; h < qHeads; h++) {
                int kvh = h / (qHeads / kvHeads);
                for (int i = 0; i < lensQ[s]; i++) {
                    double[] p = new double[lensK[s]];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < lensK[s]; j++) {
                        if (!visible(mask, s, i, j, lensQ[s], lensK[s])) {
                            p[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int d = 0; d < hd; d++) {
                            dot += (double) q[((cuQ[s] + i) * qHeads + h) * hd + d] * k[((cuK[s] + j) * kvHeads + kvh) * hd + d];
                        }
                        p[j] = dot * scale + (bias == null ? 0 : bias.bias(s, h, i, j));
                        max = Math.max(max, p[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < p.length; j++) {
                        p[j] = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(p[j] - max);
                        sum += p[j];
                    }
                    String where = mask + " heads " + qHeads + "/" + kvHeads + " bias " + (bias != null) + " seq " + s + " head " + h + " query " + i;
                    double rowSum = 0;
                    for (int j = 0; j < p.length; j++) {
                        double expected = sum == 0 ? 0 : p[j] / sum;
                        float actual = probs[s][(h * lensQ[s] + i) * lensK[s] + j];
                        if (expected == 0) {
                            assertEquals(0f, actual, where + " key " + j + " must be exactly 0");
                        }
                        assertEquals(expected, actual, 2e-6, where + " key " + j);
                        rowSum += actual;
                    }
                    assertEquals(sum == 0 ? 0 : 1, rowSum, 1e-6, where + " row sum");
                    for (int d = 0; d < hd; d++) {
                        double expected = 0;
                        for (int j = 0; j < p.length; j++) {
                            if (sum > 0) {
                                expected += p[j] / sum * v[((cuK[s] + j) * kvHeads + kvh) * hd + d];
                            }
                        }
                        float actual = out[((cuQ[s] + i) * qHeads + h) * hd + d];
                        assertFalse(Float.isNaN(actual), where);
                        assertEquals(expected, actual, 1e-5, where + " dim " + d);
                    }
                }
            }
        }
    }

    private static boolean visible(Mask mask, int s, int i, int j, int lenQ, int lenK) {
        return switch (mask) {
            case Mask.None none -> true;
            case Mask.Causal causal -> j <= i + (lenK - lenQ) && (causal.window() == Integer.MAX_VALUE
                    || j > i + (lenK - lenQ) - causal.window());
            case Mask.Custom custom -> custom.allowed()[s][i * lenK + j];
        };
    }

    private static int[] cumulative(int[] lens) {
        int[] cu = new int[lens.length + 1];
        for (int i = 0; i < lens.length; i++) {
            cu[i + 1] = cu[i] + lens[i];
        }
        return cu;
    }
}
