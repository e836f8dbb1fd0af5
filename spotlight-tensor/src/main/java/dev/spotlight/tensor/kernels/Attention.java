package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused masked attention over a packed batch, one task per (sequence, head). For each query row it
 * computes the scores of the keys the mask allows (a causal or windowed row never touches the keys
 * beyond its range), the softmax, and the weighted sum of values, holding only one row of scores:
 * memory is O(lenK) per thread, never lenQ × lenK, unless the caller asks for the probabilities.
 *
 * <p>A task reads only its own sequence's rows and sums in a fixed order, so a sequence's output is
 * bitwise the same alone, in any batch and on any number of threads. A query row whose keys are all
 * masked yields zeros; masked keys get probability exactly 0.
 */
public final class Attention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();

    /** Per-thread buffers, grown to the longest sequence seen, so a forward pass allocates nothing per (sequence, head). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Attention() {
    }

    private static final class Scratch {
        float[] keysT = new float[0];  // [headDim, lenK] (only the first headDim*lenK floats are used)
        float[] scores = new float[0];  // [lenK]

        Scratch ensure(int keysFloats, int lenK) {
            if (keysT.length < keysFloats) {
                keysT = new float[keysFloats];
            }
            if (scores.length < lenK) {
                scores = new float[lenK];
            }
            return this;
        }
    }

    public static void forward(AttentionRequest r) {
        int batch = r.cuSeqLensQ().length - 1;
        Parallel.forRange(batch * r.qHeads(), task -> head(r, task / r.qHeads(), task % r.qHeads()));
    }

    private static void head(AttentionRequest r, int s, int h) {
        int firstQ = r.cuSeqLensQ()[s];
        int lenQ = r.cuSeqLensQ()[s + 1] - firstQ;
        int firstK = r.cuSeqLensK()[s];
        int lenK = r.cuSeqLensK()[s + 1] - firstK;
        int hd = r.headDim();
        int kvHead = h / (r.qHeads() / r.kvHeads());
        int qStride = r.qHeads() * hd;
        int kvStride = r.kvHeads() * hd;
        float[] probs = r.probabilities() != null && (r.probabilityHeads() == null || r.probabilityHeads()[h])
                ? r.probabilities()[s] : null;
        if (probs != null && probs.length != r.qHeads() * lenQ * lenK) {
            throw new IllegalArgumentException("probability buffer of sequence " + s + " has " + probs.length
                    + " floats, expected heads*lenQ*lenK = " + r.qHeads() + "*" + lenQ + "*" + lenK);
        }
        if (lenQ == 0) {
            return;
        }
        // keysT [hd, width]: keys transposed so that LANES scores come from one FMA per head dimension.
        // Rows are padded to whole vectors (width ≥ lenK), so the score and exp loops need no masks;
        // lanes past lenK hold leftovers that are computed and never read.
        int width = (lenK + LANES - 1) / LANES * LANES;
        Scratch scratch = SCRATCH.get().ensure(hd * width, width);
        float[] keysT = scratch.keysT;
        for (int j = 0; j < lenK; j++) {
            int at = (firstK + j) * kvStride + kvHead * hd;
            for (int d = 0; d < hd; d++) {
                keysT[d * width + j] = r.k()[at + d];
            }
        }
        float[] scores = scratch.scores;  // [lenK] one query row at a time
        boolean[] allowed = r.mask() instanceof Mask.Custom custom ? custom.allowed()[s] : null;
        if (allowed != null && allowed.length != lenQ * lenK) {
            throw new IllegalArgumentException("custom mask of sequence " + s + " has " + allowed.length
                    + " entries, expected lenQ*lenK = " + lenQ + "*" + lenK);
        }
        int shift = lenK - lenQ;  // causal diagonal aligned to the end
        for (int i = 0; i < lenQ; i++) {
            int outAt = (firstQ + i) * qStride + h * hd;  // the same offset in q and out
            int lo = 0;
            int hi = lenK;
            if (r.mask() instanceof Mask.Causal causal) {
                hi = Math.max(0, Math.min(lenK, i + shift + 1));
                lo = causal.window() == Integer.MAX_VALUE ? 0 : Math.max(0, hi - causal.window());
            }
            int probsAt = probs == null ? -1 : (h * lenQ + i) * lenK;
            float max = lo < hi ? scoreRow(r, outAt, keysT, width, lo, hi, scores) : Float.NEGATIVE_INFINITY;
            if (lo < hi && (allowed != null || r.bias() != null)) {
                max = Float.NEGATIVE_INFINITY;
                for (int j = lo; j < hi; j++) {
                    if (allowed != null && !allowed[i * lenK + j]) {
                        scores[j] = Float.NEGATIVE_INFINITY;
                    } else {
                        if (r.bias() != null) {
                            scores[j] += r.bias().bias(s, h, i, j);
                        }
                        max = Math.max(max, scores[j]);
                    }
                }
            }
            if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max)) {
                // no key is visible: the row contributes nothing (zeros, never NaN)
                java.util.Arrays.fill(r.out(), outAt, outAt + hd, 0f);
                if (probs != null) {
                    java.util.Arrays.fill(probs, probsAt, probsAt + lenK, 0f);
                }
                continue;
            }
            float inv = (float) (1 / exponentiate(scores, lo, hi, max));
            if (probs != null) {
                java.util.Arrays.fill(probs, probsAt, probsAt + lo, 0f);
                for (int j = lo; j < hi; j++) {
                    probs[probsAt + j] = scores[j] * inv;
                }
                java.util.Arrays.fill(probs, probsAt + hi, probsAt + lenK, 0f);
            }
            weightedValues(r, scores, inv, lo, hi, firstK, kvStride, kvHead * hd, hd, outAt);
        }
    }

    /** scores[lo, hi) = scale · q_i · k_j; returns their max. */
    private static float scoreRow(AttentionRequest r, int qAt, float[] keysT, int width, int lo, int hi, float[] scores) {
        float[] q = r.q();
        int hd = r.headDim();
        float scale = r.scale();
        float max = Float.NEGATIVE_INFINITY;
        int j = lo - lo % LANES;
        // Four key blocks at once: four independent FMA chains hide the FMA latency that a single
        // chain over the head dimension waits on. Each score is still one chain over d in order.
        for (; j + 3 * LANES < hi; j += 4 * LANES) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            for (int d = 0; d < hd; d++) {
                FloatVector qd = FloatVector.broadcast(S, q[qAt + d]);
                int row = d * width + j;
                a0 = qd.fma(FloatVector.fromArray(S, keysT, row), a0);
                a1 = qd.fma(FloatVector.fromArray(S, keysT, row + LANES), a1);
                a2 = qd.fma(FloatVector.fromArray(S, keysT, row + 2 * LANES), a2);
                a3 = qd.fma(FloatVector.fromArray(S, keysT, row + 3 * LANES), a3);
            }
            a0.mul(scale).intoArray(scores, j);
            a1.mul(scale).intoArray(scores, j + LANES);
            a2.mul(scale).intoArray(scores, j + 2 * LANES);
            a3.mul(scale).intoArray(scores, j + 3 * LANES);
        }
        for (; j < hi; j += LANES) {
            FloatVector acc = FloatVector.zero(S);
            for (int d = 0; d < hd; d++) {
                acc = FloatVector.broadcast(S, q[qAt + d]).fma(FloatVector.fromArray(S, keysT, d * width + j), acc);
            }
            acc.mul(scale).intoArray(scores, j);
        }
        for (int k = lo; k < hi; k++) {
            max = Math.max(max, scores[k]);
        }
        return max;
    }

    /** scores[j] = e^(scores[j] − max) over [lo, hi), −∞ becoming exactly 0; returns the sum, added in index order. */
    private static double exponentiate(float[] scores, int lo, int hi, float max) {
        VectorMath.expInPlace(scores, lo - lo % LANES, hi, max);
        double sum = 0;
        for (int j = lo; j < hi; j++) {
            sum += scores[j];
        }
        return sum;
    }

    /** out_i = Σ_j (e_j · inv) · v_j, keys in index order. */
    private static void weightedValues(AttentionRequest r, float[] weights, float inv, int lo, int hi, int firstK,
                                       int kvStride, int vOffset, int hd, int outAt) {
        float[] v = r.v();
        float[] out = r.out();
        int d = 0;
        for (; d + LANES <= hd; d += LANES) {
            // keys in four interleaved chains (j mod 4), summed at the end in a fixed order: one
            // chain over all keys would wait on FMA latency at every key
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            int j = lo;
            for (; j + 4 <= hi; j += 4) {
                int at = (firstK + j) * kvStride + vOffset + d;
                a0 = FloatVector.broadcast(S, weights[j] * inv).fma(FloatVector.fromArray(S, v, at), a0);
                a1 = FloatVector.broadcast(S, weights[j + 1] * inv).fma(FloatVector.fromArray(S, v, at + kvStride), a1);
                a2 = FloatVector.broadcast(S, weights[j + 2] * inv).fma(FloatVector.fromArray(S, v, at + 2 * kvStride), a2);
                a3 = FloatVector.broadcast(S, weights[j + 3] * inv).fma(FloatVector.fromArray(S, v, at + 3 * kvStride), a3);
            }
            for (; j < hi; j++) {
                a0 = FloatVector.broadcast(S, weights[j] * inv).fma(FloatVector.fromArray(S, v, (firstK + j) * kvStride + vOffset + d), a0);
            }
            a0.add(a1).add(a2.add(a3)).intoArray(out, outAt + d);
        }
        if (d < hd) {
            // head sizes that are not a multiple of the vector width: the tail lanes, masked
            VectorMask<Float> m = S.indexInRange(d, hd);
            FloatVector acc = FloatVector.zero(S);
            for (int j = lo; j < hi; j++) {
                acc = FloatVector.broadcast(S, weights[j] * inv).fma(FloatVector.fromArray(S, v, (firstK + j) * kvStride + vOffset + d, m), acc);
            }
            acc.intoArray(out, outAt + d, m);
        }
    }
}
