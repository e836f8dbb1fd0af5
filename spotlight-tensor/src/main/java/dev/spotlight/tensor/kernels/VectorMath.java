package dev.spotlight.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

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

    private VectorMath() {
    }

    /** e^x, relative error about 2e-7; 0 below -87.3, +∞ above 88 (callers use it for x ≤ 0 and GELU). */
    public static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(MIN_X).min(MAX_X);
        // n = round(x·log2 e): shifted positive first, so truncation towards zero is a floor
        IntVector ni = ((IntVector) clamped.mul(LOG2E).add(128.5f).convert(VectorOperators.F2I, 0)).sub(128);
        FloatVector n = (FloatVector) ni.convert(VectorOperators.I2F, 0);
        FloatVector r = n.mul(-LN2_HI).add(clamped);
        r = n.mul(-LN2_LO).add(r);
        // e^r on |r| ≤ ln2/2 by its Taylor polynomial to degree 7 (truncation error < 1e-8)
        FloatVector p = r.broadcast(1f / 5040).fma(r, r.broadcast(1f / 720));
        p = p.fma(r, r.broadcast(1f / 120));
        p = p.fma(r, r.broadcast(1f / 24));
        p = p.fma(r, r.broadcast(1f / 6));
        p = p.fma(r, r.broadcast(0.5f));
        p = p.fma(r, r.broadcast(1f));
        p = p.fma(r, r.broadcast(1f));
        IntVector exponent = ni.add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scale = exponent.reinterpretAsFloats();
        FloatVector result = p.mul(scale);
        return result.blend(result.broadcast(0f), x.lt(MIN_X)).blend(result.broadcast(Float.POSITIVE_INFINITY), x.compare(VectorOperators.GT, MAX_X));
    }

    /** tanh(x) = 1 − 2/(e^{2x} + 1), saturating cleanly at ±1. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.mul(2f));
        return x.broadcast(-2f).div(e.add(1f)).add(1f).blend(x.broadcast(1f), x.compare(VectorOperators.GT, 20f)).blend(x.broadcast(-1f), x.lt(-20f));
    }
}
