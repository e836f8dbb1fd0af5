package dev.spotlight.tensor.kernels;

import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh on float vectors, built from adds, multiplies and FMAs only. The Vector API's own
 * {@code EXP} maps to a native library once compiled but to a scalar fallback before, and the two
 * can differ in the last bit; these give the same bits in the interpreter and in compiled code,
 * which bitwise batch invariance needs.
 */
public final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;        // exact in float: r = x - n·ln2 without cancellation error
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float MAX_X = 88f;               // keeps 2^n finite; e^88 ≈ 1.7e38
    private static final float MIN_X = -87.3365447504f;      // below: exp underflows to (near) zero
    // e^r ≈ 1 + r + C2·r² + … + C6·r⁶ on |r| ≤ ln2/2 (minimax for relative error)
    private static final float EXP_C2 = 0.49999994f;
    private static final float EXP_C3 = 0.16666432f;
    private static final float EXP_C4 = 0.041668002f;
    private static final float EXP_C5 = 0.008374164f;
    private static final float EXP_C6 = 0.0013843643f;

    private static final float ROUNDER = 12582912f;  // 1.5 · 2^23
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

    private VectorMath() {
    }

    /** e^x, relative error about 1e-7; 0 below -87.3, +∞ above 88 (callers use it for x ≤ 0 and GELU). */
    public static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(MIN_X).min(MAX_X);
        // n = round(x·log2 e) by the 1.5·2^23 trick: adding it leaves round(y) in the low mantissa bits,
        // read back as an int without a float→int conversion (which the JIT does not vectorise here)
        FloatVector shifted = clamped.fma(LOG2E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        IntVector ni = ((IntVector) shifted.viewAsIntegralLanes()).sub(ROUNDER_BITS);
        FloatVector scale = (FloatVector) ni.add(127).lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        FloatVector result = expReduced(n, clamped).mul(scale);
        return result.blend(0f, x.lt(MIN_X)).blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_X));
    }

    /**
     * e^x for x ≤ 0, −∞ included (→ exactly 0): softmax weights and erf's e^(−x²). Half the work of
     * {@link #exp}: no upper clamp, and underflow is a zero exponent field, not a compare and blend.
     * Results below ~2^-126 (x < −87.3) become 0 instead of subnormals.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector clamped = x.max(-104f);  // n stays far from int overflow; e^-104 is 0 anyway
        FloatVector shifted = clamped.fma(LOG2E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        // the biased exponent n + 127, at most 0 (→ a zero float) once e^x is below the normal range
        IntVector biased = ((IntVector) shifted.viewAsIntegralLanes()).sub(ROUNDER_BITS - 127).max(0);
        FloatVector scale = (FloatVector) biased.lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        return expReduced(n, clamped).mul(scale);
    }

    /**
     * e^(x − n·ln2) for the n that leaves |r| = |x − n·ln2| ≤ ln2/2: r in two steps (Cody–Waite; the
     * first is exact, LN2_HI having few bits), then a degree-6 minimax polynomial fitted on that range
     * (relative error 7e-8 in float arithmetic).
     */
    private static FloatVector expReduced(FloatVector n, FloatVector x) {
        FloatVector r = n.fma(n.broadcast(-LN2_LO), n.fma(n.broadcast(-LN2_HI), x));
        return r.broadcast(EXP_C6).fma(r, r.broadcast(EXP_C5)).fma(r, r.broadcast(EXP_C4))
                .fma(r, r.broadcast(EXP_C3)).fma(r, r.broadcast(EXP_C2)).fma(r, r.broadcast(1f))
                .fma(r, r.broadcast(1f));
    }

    /** tanh(x) = 1 − 2/(e^{2x} + 1), saturating cleanly at ±1. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.mul(2f));
        return x.broadcast(-2f).div(e.add(1f)).add(1f).blend(x.broadcast(1f), x.compare(VectorOperators.GT, 20f)).blend(x.broadcast(-1f), x.lt(-20f));
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int LANES = S.length();
    private static final float SQRT_2 = (float) Math.sqrt(2);  // (x/2)·√2 = x/√2
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    /**
     * Applies {@code act} to a[from, to) in place. The loops below take arrays, not vectors: a
     * vector passed through a call the JIT does not inline is boxed on the heap, which made a GELU
     * epilogue cost more than the matrix product feeding it.
     */
    static void applyInPlace(Activation act, float[] a, int from, int to) {
        // One loop per activation: a shared loop calling a switch that returns a vector grew too
        // large to inline once several activations were hot, and then every vector was boxed.
        switch (act) {
            case NONE -> {
            }
            case RELU -> relu(a, from, to);
            case GELU_ERF -> geluErf(a, from, to);
            case GELU_TANH -> geluTanh(a, from, to);
        }
    }

    private static void relu(float[] a, int from, int to) {
        int i = from;
        for (; i + S.length() <= to; i += S.length()) {
            FloatVector.fromArray(S, a, i).max(0f).intoArray(a, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector.fromArray(S, a, i, m).max(0f).intoArray(a, i, m);
        }
    }

    private static void geluErf(float[] a, int from, int to) {
        int i = from;
        for (; i + S.length() <= to; i += S.length()) {
            FloatVector half = FloatVector.fromArray(S, a, i).mul(0.5f);
            half.fma(Erf.erf(half.mul(SQRT_2)), half).intoArray(a, i);  // x/2 · (1 + erf(x/√2))
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector half = FloatVector.fromArray(S, a, i, m).mul(0.5f);
            half.fma(Erf.erf(half.mul(SQRT_2)), half).intoArray(a, i, m);
        }
    }

    private static void geluTanh(float[] a, int from, int to) {
        int i = from;
        for (; i + S.length() <= to; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, i);
            x.mul(0.5f).mul(tanh(x.mul(x).mul(x).mul(0.044715f).add(x).mul(SQRT_2_OVER_PI)).add(1f)).intoArray(a, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector x = FloatVector.fromArray(S, a, i, m);
            x.mul(0.5f).mul(tanh(x.mul(x).mul(x).mul(0.044715f).add(x).mul(SQRT_2_OVER_PI)).add(1f)).intoArray(a, i, m);
        }
    }

    /**
     * a[i] = e^(a[i] − shift) over [from, to), returning their sum (per lane in vector order, then
     * {@link #laneSum}); {@code a} must have room for whole vectors up to {@code to}. Where
     * {@code hidden} is given, the vector at from + b·LANES with {@code hidden[firstBlock + b]} is
     * known to be all −∞ and becomes zeros without computing e^x; the sum's bits are the same.
     */
    static float expInPlace(float[] a, int from, int to, float shift, boolean[] hidden, int firstBlock) {
        FloatVector sums = FloatVector.zero(S);
        for (int i = from, b = firstBlock; i < to; i += S.length(), b++) {
            if (hidden != null && hidden[b]) {
                Arrays.fill(a, i, i + S.length(), 0f);  // adding zeros to the sums would change nothing
                continue;
            }
            FloatVector e = expNonPositive(FloatVector.fromArray(S, a, i).sub(shift));
            e.intoArray(a, i);
            sums = sums.add(e);
        }
        return laneSum(sums);
    }

    // lane i ↔ lane i ^ step: the butterfly steps of laneSum
    private static final VectorShuffle<Float> SWAP_8 = VectorShuffle.fromOp(S, i -> i ^ Math.min(8, S.length() / 2));
    private static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromOp(S, i -> i ^ Math.min(4, S.length() / 2));
    private static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromOp(S, i -> i ^ Math.min(2, S.length() / 2));
    private static final VectorShuffle<Float> SWAP_1 = VectorShuffle.fromOp(S, i -> i ^ 1);

    /**
     * The sum of v's lanes by a fixed butterfly (lane i + lane i ^ 8, then ^ 4, ^ 2, ^ 1): the same
     * bits in the interpreter and compiled code, unlike {@code reduceLanes(ADD)}, and a few shuffles
     * where a store and a scalar chain over the lanes had cost a tenth of the attention kernel.
     */
    static float laneSum(FloatVector v) {
        if (S.length() >= 16) {
            v = v.add(v.rearrange(SWAP_8));
        }
        if (S.length() >= 8) {
            v = v.add(v.rearrange(SWAP_4));
        }
        if (S.length() >= 4) {
            v = v.add(v.rearrange(SWAP_2));
        }
        if (S.length() >= 2) {
            v = v.add(v.rearrange(SWAP_1));
        }
        return v.lane(0);
    }

    /** The largest of a[from, to), whole vectors; exact (max does not depend on order). */
    static float maxOf(float[] a, int from, int to) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = from; i < to; i += S.length()) {
            m = m.max(FloatVector.fromArray(S, a, i));
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    /**
     * The index of the first largest value of a[from, to) as a scalar loop comparing with {@code >}
     * finds it (−0 and +0 tie, so the first of them wins), or −1 when the range is empty or holds a
     * NaN. Greedy decoding's argmax: two vector passes (the maximum, then the first lane equal to
     * it) instead of a compare and a branch per logit: 5.5 µs against 27 over 49,152 logits.
     */
    public static int firstMaximum(float[] a, int from, int to) {
        Objects.checkFromToIndex(from, to, a.length);
        int lanes = S.length();
        // four chains: one waited on max's latency at every vector (10 µs against 3.4 for 49,152)
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int i = from;
        for (; i + 4 * lanes <= to; i += 4 * lanes) {
            m0 = m0.max(FloatVector.fromArray(S, a, i));  // lanewise Math.max: a NaN stays NaN
            m1 = m1.max(FloatVector.fromArray(S, a, i + lanes));
            m2 = m2.max(FloatVector.fromArray(S, a, i + 2 * lanes));
            m3 = m3.max(FloatVector.fromArray(S, a, i + 3 * lanes));
        }
        for (; i + lanes <= to; i += lanes) {
            m0 = m0.max(FloatVector.fromArray(S, a, i));
        }
        float max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            max = Math.max(max, a[i]);
        }
        if (from == to || Float.isNaN(max)) {
            return -1;
        }
        FloatVector maxes = FloatVector.broadcast(S, max);
        for (i = from; i + lanes <= to; i += lanes) {
            VectorMask<Float> equal = FloatVector.fromArray(S, a, i).eq(maxes);
            if (equal.anyTrue()) {
                return i + equal.firstTrue();
            }
        }
        while (a[i] != max) {
            i++;  // the maximum is in the tail
        }
        return i;
    }

    /** out[outFrom + i − from] = a[i] · factor for i in [from, to). */
    static void scaleInto(float[] a, int from, int to, float factor, float[] out, int outFrom) {
        int i = from;
        for (; i + S.length() <= to; i += S.length()) {
            FloatVector.fromArray(S, a, i).mul(factor).intoArray(out, outFrom + i - from);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector.fromArray(S, a, i, m).mul(factor).intoArray(out, outFrom + i - from, m);
        }
    }

    /**
     * Σ (a[i] − centre), or Σ (a[i] − centre)² when {@code squared}, over [from, to): per lane in
     * float, then the lanes in double in lane order — a fixed order, so the same bits on every run
     * (a sequential sum is a 4-cycle chain per element; {@code reduceLanes(ADD)} has no fixed order).
     */
    static double sumOf(float[] a, int from, int to, float centre, boolean squared, float[] lanes) {
        FloatVector sums = FloatVector.zero(S);
        int i = from;
        for (; i + S.length() <= to; i += S.length()) {
            FloatVector d = FloatVector.fromArray(S, a, i).sub(centre);
            sums = squared ? d.fma(d, sums) : sums.add(d);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector d = FloatVector.fromArray(S, a, i, m).sub(centre).blend(0f, m.not());
            sums = squared ? d.fma(d, sums) : sums.add(d);
        }
        sums.intoArray(lanes, 0);
        double sum = 0;
        for (int lane = 0; lane < S.length(); lane++) {
            sum += lanes[lane];
        }
        return sum;
    }

    /** out[base + d] = (x[base + d] − mean) · inv · gamma[d] + beta[d] for d in [0, dim); beta may be null. */
    static void normalize(float[] x, int base, int dim, float mean, float inv, float[] gamma, float[] beta, float[] out) {
        int d = 0;
        for (; d + S.length() <= dim; d += S.length()) {
            FloatVector y = FloatVector.fromArray(S, x, base + d).sub(mean).mul(inv).mul(FloatVector.fromArray(S, gamma, d));
            if (beta != null) {
                y = y.add(FloatVector.fromArray(S, beta, d));
            }
            y.intoArray(out, base + d);
        }
        for (; d < dim; d++) {
            float y = (x[base + d] - mean) * inv * gamma[d];
            out[base + d] = beta == null ? y : y + beta[d];
        }
    }

    /** Whether any of flags[at, at + LANES) is set. */
    static boolean anyTrue(boolean[] flags, int at) {
        return VectorMask.fromArray(S, flags, at).anyTrue();
    }

    /** a[at + l] = −∞ where allowed[allowedAt + l] is false, for the LANES lanes l. */
    static void hideMasked(float[] a, int at, boolean[] allowed, int allowedAt) {
        VectorMask<Float> visible = VectorMask.fromArray(S, allowed, allowedAt);
        FloatVector.fromArray(S, a, at).blend(Float.NEGATIVE_INFINITY, visible.not()).intoArray(a, at);
    }
}
