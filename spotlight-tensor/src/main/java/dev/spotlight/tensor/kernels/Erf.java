package dev.spotlight.tensor.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * The error function. {@link #erf(double)} is the reference, accurate to about 1e-15 (Taylor series
 * for small |x|, continued fraction of erfc beyond). {@link #erf(FloatVector)} is what the GELU
 * epilogue runs: Abramowitz &amp; Stegun 7.1.26, |error| ≤ 1.5e-7, about one float ulp near 1,
 * with the exponential on the vector unit — a series per element would cost more than the GEMM.
 * Its polynomial runs as FMAs and its e^(−x²) as {@link VectorMath#expNonPositive}: about 20
 * vector operations and one division per 16 values, where plain multiplies and adds and the
 * general exp had taken 45.
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private Erf() {
    }

    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 6) {
            return Math.signum(x);  // erfc(6) ≈ 2e-17: below double's resolution around 1
        }
        double r;
        if (ax < 2) {
            // erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)); terms fall below 1e-17 by n = 30 for |x| < 2
            double x2 = ax * ax;
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 40; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * sum) {
                    break;
                }
            }
            r = TWO_OVER_SQRT_PI * sum;
        } else {
            // erfc x = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))), evaluated bottom-up
            double f = ax;
            for (int n = 40; n >= 1; n--) {
                f = ax + n / 2.0 / f;
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }

    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;

    public static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = x.broadcast(1f).div(ax.fma(P, 1f));
        FloatVector poly = t.fma(A5, A4).fma(t, t.broadcast(A3)).fma(t, t.broadcast(A2)).fma(t, t.broadcast(A1)).mul(t);
        FloatVector r = poly.neg().fma(VectorMath.expNonPositive(ax.mul(ax.neg())), x.broadcast(1f));  // 1 − poly·e^(−x²)
        return r.blend(r.neg(), x.lt(0f));
    }
}
