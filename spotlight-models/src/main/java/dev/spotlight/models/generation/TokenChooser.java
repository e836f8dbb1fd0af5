package dev.spotlight.models.generation;

import dev.spotlight.tensor.kernels.VectorMath;
import java.util.Arrays;

/**
 * Chooses each next token of one sequence from the model's logits, as transformers' {@code generate}
 * does with its default logits processors, in its order:
 * <ol>
 * <li>{@code RepetitionPenaltyLogitsProcessor}: every id present so far, prompt included, once per
 *     distinct id: a score below 0 is multiplied by the penalty, any other divided by it (in float,
 *     as torch does on float32 logits);</li>
 * <li>greedy decoding: the argmax, the first maximum on ties ({@code torch.argmax});</li>
 * <li>sampling: {@code TemperatureLogitsWarper} (scores / temperature, in float), then
 *     {@code TopKLogitsWarper} (every token scoring below the k-th highest score is removed, so ties
 *     with the k-th are all kept; k at or above the vocabulary size keeps all), then
 *     {@code TopPLogitsWarper} (the smallest set of most likely tokens whose probability reaches p,
 *     the most likely token always kept), then {@code MinPLogitsWarper} (tokens less likely than
 *     {@code min_p} times the most likely one are removed), and a draw from the softmax of what is left.</li>
 * </ol>
 * Removed tokens get probability exactly 0 (transformers' filter value -inf); at least one token
 * always survives ({@code min_tokens_to_keep} 1).
 *
 * <p><b>Where this differs from torch, on purpose.</b> Probabilities are computed in double from the
 * float scores ({@code StrictMath.exp}, so every JVM gives the same bits), where torch uses float32:
 * a top-p or min-p boundary that falls within float32 rounding of a token may be decided differently.
 * torch's sort is not stable, so transformers leaves open which of several equal scores at a top-p
 * boundary survive; here the lower id ranks first. The draw is not torch's {@code multinomial}: one
 * double u from the sequence's {@link SplitMix64} stream (exactly one per sampled step, none when
 * greedy) picks the first kept token, in id order, whose cumulative weight exceeds u times the total.
 * The stream is seeded by {@link GenerationSettings#seed} alone, so the same seed gives the same
 * tokens alone, in any batch, on any number of threads. NaN logits are an error rather than a choice;
 * so are +Infinity when sampling (torch's softmax would turn them into NaN) and logits that are all
 * -Infinity.
 *
 * <p><b>Cost.</b> Greedy decoding is one pass over the vocabulary (plus a copy when a repetition
 * penalty applies). Sampling copies the logits once; top-k finds the k-th score with a k-element heap
 * and exponentiates only the survivors; top-p sorts only the tokens within a factor 10^-3 (then 10^-6,
 * 10^-12, all) of the most likely one until they hold probability p, never the whole vocabulary in the
 * common case. Scratch arrays are per thread and reused.
 *
 * <p>Not thread-safe: one chooser per sequence (it owns that sequence's random stream).
 */
public final class TokenChooser {
    private static final double[] TOP_P_THRESHOLDS = {1e-3, 1e-6, 1e-12, 0};
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final boolean sample;
    private final float temperature;
    private final int topK;
    private final double topP;
    private final double minP;
    private final float penalty;
    private final SplitMix64 random;

    TokenChooser(GenerationSettings s) {
        this.sample = s.sample();
        // a temperature below float's smallest value still divides (by that value), never by zero
        this.temperature = s.sample() ? Math.max((float) s.temperature(), Float.MIN_VALUE) : (float) s.temperature();
        this.topK = s.topK();
        this.topP = s.topP();
        this.minP = s.minP();
        this.penalty = (float) s.repetitionPenalty();
        this.random = new SplitMix64(s.seed());
    }

    /** The next token given the logits over the whole vocabulary and every id so far (prompt + generated). */
    public int next(float[] logits, int[] idsSoFar) {
        return next(logits, 0, logits.length, idsSoFar, idsSoFar.length);
    }

    /**
     * The next token given {@code logits[offset, offset + vocabSize)} and {@code ids[0, idsLength)}.
     * Neither array is written.
     *
     * @throws IllegalArgumentException for out-of-range arguments or ids, and for logits that
     *                                  allow no choice (see the class comment)
     */
    public int next(float[] logits, int offset, int vocabSize, int[] ids, int idsLength) {
        if (!sample && (penalty == 1f || idsLength == 0)) {
            checkRanges(logits, offset, vocabSize, ids, idsLength);
            return argmax(logits, offset, vocabSize);
        }
        Scratch s = SCRATCH.get();
        float[] scores = processedScores(s, logits, offset, vocabSize, ids, idsLength);
        if (!sample) {
            return argmax(scores, 0, vocabSize);
        }
        int kept = filter(s, scores, vocabSize);
        double total = 0;
        for (int j = 0; j < kept; j++) {
            total += s.weights[j];
        }
        double target = random.nextDouble() * total;
        double cumulative = 0;
        for (int j = 0; j < kept; j++) {
            cumulative += s.weights[j];
            if (cumulative > target) {
                return s.candidates[j];
            }
        }
        return s.candidates[kept - 1];   // u * total rounded up to total
    }

    /** The distribution {@link #next} would sample from (kept ids ascending, probabilities), without drawing. */
    Distribution distribution(float[] logits, int[] ids) {
        Scratch s = SCRATCH.get();
        float[] scores = processedScores(s, logits, 0, logits.length, ids, ids.length);
        int kept = filter(s, scores, logits.length);
        double total = 0;
        for (int j = 0; j < kept; j++) {
            total += s.weights[j];
        }
        double[] p = new double[kept];
        for (int j = 0; j < kept; j++) {
            p[j] = s.weights[j] / total;
        }
        return new Distribution(Arrays.copyOf(s.candidates, kept), p);
    }

    /** The scores after the repetition penalty and (when sampling) the temperature, before any filter. */
    float[] processed(float[] logits, int[] ids) {
        return Arrays.copyOf(processedScores(SCRATCH.get(), logits, 0, logits.length, ids, ids.length), logits.length);
    }

    /** Kept token ids in ascending order and their probabilities. */
    record Distribution(int[] ids, double[] probabilities) {
    }

    /** A copy of the logits after the repetition penalty and, when sampling, the temperature. */
    private float[] processedScores(Scratch s, float[] logits, int offset, int vocabSize, int[] ids, int idsLength) {
        checkRanges(logits, offset, vocabSize, ids, idsLength);
        float[] scores = s.scores(vocabSize);
        System.arraycopy(logits, offset, scores, 0, vocabSize);
        if (penalty != 1f) {
            for (int i = 0; i < idsLength; i++) {
                int id = ids[i];
                if (id < 0 || id >= vocabSize) {
                    throw new IllegalArgumentException("id " + id + " at position " + i + " is outside the vocabulary of "
                            + vocabSize + " logits");
                }
                float raw = logits[offset + id];   // from the raw logits, so a repeated id is penalised once
                scores[id] = raw < 0 ? raw * penalty : raw / penalty;
            }
        }
        if (sample && temperature != 1f) {
            // softmax(x / T) = softmax((x − max) / T): where x / T would leave float32's range (a tiny temperature),
            // the shifted scores give the same distribution without infinities, the greedy choice in the limit.
            // Otherwise the shift is 0 and the bits are x / T, as torch computes them.
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < vocabSize; i++) {
                max = Math.max(max, scores[i]);
            }
            float shift = Float.isFinite(max) && !Float.isFinite(max / temperature) ? max : 0f;
            for (int i = 0; i < vocabSize; i++) {
                scores[i] = (scores[i] - shift) / temperature;
            }
        }
        return scores;
    }

    /**
     * Top-k, top-p and min-p over the processed scores: leaves the kept ids (ascending) in
     * {@code s.candidates} and their weights exp(score - max) in {@code s.weights}; returns how many.
     */
    private int filter(Scratch s, float[] scores, int vocabSize) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabSize; i++) {
            float x = scores[i];
            if (!(x < Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("logit of token " + i + " is " + x + " (after the repetition penalty"
                        + " and temperature); sampling needs finite logits");
            }
            max = Math.max(max, x);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("all " + vocabSize + " logits are -Infinity: no token can be chosen");
        }
        float threshold = topK > 0 && topK < vocabSize ? kthLargest(scores, vocabSize, topK, s.heap(topK)) : Float.NEGATIVE_INFINITY;
        int[] candidates = s.candidates(vocabSize);
        double[] weights = s.weights(vocabSize);
        int m = 0;
        for (int i = 0; i < vocabSize; i++) {
            float x = scores[i];
            if (x >= threshold && x != Float.NEGATIVE_INFINITY) {
                candidates[m] = i;
                weights[m++] = StrictMath.exp((double) x - max);
            }
        }
        if (topP < 1) {
            m = topP(s, scores, m);
        }
        if (minP > 0) {
            // p_i / p_max = exp(x_i - max) / exp(0): the max token (weight 1) always stays
            int kept = 0;
            for (int j = 0; j < m; j++) {
                if (weights[j] >= minP) {
                    candidates[kept] = candidates[j];
                    weights[kept++] = weights[j];
                }
            }
            m = kept;
        }
        return m;
    }

    /**
     * transformers removes a token when the probability of all tokens ranked at or below it is at
     * most 1 - p; equivalently a token stays while the tokens ranked above it hold less than p. Only
     * tokens above a weight threshold are ranked, the threshold lowered until they hold p.
     */
    private int topP(Scratch s, float[] scores, int m) {
        int[] candidates = s.candidates;
        double[] weights = s.weights;
        double total = 0;
        for (int j = 0; j < m; j++) {
            total += weights[j];
        }
        double target = topP * total;
        long[] keys = s.keys(m);
        for (double threshold : TOP_P_THRESHOLDS) {
            double mass = 0;
            int c = 0;
            for (int j = 0; j < m; j++) {
                if (weights[j] >= threshold) {
                    mass += weights[j];
                    keys[c++] = rankKey(scores[candidates[j]], j);
                }
            }
            if (mass < target && threshold > 0) {
                continue;
            }
            Arrays.sort(keys, 0, c);
            double above = 0;
            int kept = 0;
            while (kept < c && (kept == 0 || above < target)) {
                above += weights[(int) keys[kept++]];
            }
            if (above < target && threshold > 0) {
                continue;   // summation order fell just short of p: widen
            }
            int[] positions = new int[kept];
            for (int r = 0; r < kept; r++) {
                positions[r] = (int) keys[r];
            }
            Arrays.sort(positions);   // back to ascending ids
            for (int r = 0; r < kept; r++) {
                candidates[r] = candidates[positions[r]];
                weights[r] = weights[positions[r]];
            }
            return kept;
        }
        throw new AssertionError("threshold 0 ranks every candidate");
    }

    /** Sorts by score descending, then by candidate position (= id) ascending; -0.0 ranks with 0.0. */
    private static long rankKey(float score, int position) {
        int bits = Float.floatToRawIntBits(score + 0.0f);
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);   // monotone in the float's value
        return ((long) ~ordered << 32) | position;
    }

    /** The k-th highest of {@code x[0, n)} (1 <= k < n), with a k-element min-heap. */
    static float kthLargest(float[] x, int n, int k, float[] heap) {
        int size = 0;
        for (int i = 0; i < n; i++) {
            float v = x[i];
            if (size < k) {
                int child = size++;
                while (child > 0 && heap[(child - 1) >> 1] > v) {
                    heap[child] = heap[(child - 1) >> 1];
                    child = (child - 1) >> 1;
                }
                heap[child] = v;
            } else if (v > heap[0]) {
                int parent = 0;
                while (true) {
                    int child = 2 * parent + 1;
                    if (child >= k) {
                        break;
                    }
                    if (child + 1 < k && heap[child + 1] < heap[child]) {
                        child++;
                    }
                    if (heap[child] >= v) {
                        break;
                    }
                    heap[parent] = heap[child];
                    parent = child;
                }
                heap[parent] = v;
            }
        }
        return heap[0];
    }

    /** torch.argmax: the first maximum; NaN and all -Infinity are errors. */
    static int argmax(float[] x, int offset, int n) {
        int best = VectorMath.firstMaximum(x, offset, offset + n);
        if (best < 0) {
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(x[offset + i])) {
                    throw new IllegalArgumentException("logit of token " + i + " is NaN: the model produced an invalid number");
                }
            }
        }
        if (best < 0 || x[best] == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("all " + n + " logits are -Infinity: no token can be chosen");
        }
        return best - offset;
    }

    private static void checkRanges(float[] logits, int offset, int vocabSize, int[] ids, int idsLength) {
        if (vocabSize <= 0 || offset < 0 || offset > logits.length - vocabSize || idsLength < 0 || idsLength > ids.length) {
            throw new IllegalArgumentException("logits [" + offset + ", " + offset + " + " + vocabSize + ") of " + logits.length
                    + " / ids [0, " + idsLength + ") of " + ids.length + " are out of range");
        }
    }

    /** Per-thread work arrays, grown on demand and reused across steps and sequences. */
    private static final class Scratch {
        float[] scores = new float[0];
        int[] candidates = new int[0];
        double[] weights = new double[0];
        long[] keys = new long[0];
        float[] heap = new float[0];

        float[] scores(int n) {
            return scores.length >= n ? scores : (scores = new float[n]);
        }

        int[] candidates(int n) {
            return candidates.length >= n ? candidates : (candidates = new int[n]);
        }

        double[] weights(int n) {
            return weights.length >= n ? weights : (weights = new double[n]);
        }

        long[] keys(int n) {
            return keys.length >= n ? keys : (keys = new long[n]);
        }

        float[] heap(int n) {
            return heap.length >= n ? heap : (heap = new float[n]);
        }
    }
}
