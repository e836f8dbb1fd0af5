package dev.spotlight.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    @Test
    void erfReferenceMatchesTabulatedValues() {
        assertEquals(0.0, Erf.erf(0), 0);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Erf.erf(1), 1e-15);
        assertEquals(-0.9953222650189527, Erf.erf(-2), 1e-15);
        assertEquals(0.9999779095030014, Erf.erf(3), 1e-15);
        assertEquals(0.9999999845827421, Erf.erf(4), 1e-15);
    }

    @Test
    void vectorExpErfAndTanhStayWithinTheirErrorBounds() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] in = new float[lanes];
        float[] out = new float[lanes];
        double worstExp = 0;
        double worstErf = 0;
        double worstTanh = 0;
        for (float x = -87f; x <= 88f; x += 0.0137f * lanes) {
            for (int i = 0; i < lanes; i++) {
                in[i] = x + 0.0137f * i;
            }
            FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, in, 0);
            VectorMath.exp(v).intoArray(out, 0);
            for (int i = 0; i < lanes; i++) {
                double e = Math.exp(in[i]);
                if (e > Float.MIN_NORMAL && in[i] <= 88f) {  // above 88 exp is +∞ by design
                    worstExp = Math.max(worstExp, Math.abs(out[i] - e) / e);
                }
            }
            if (Math.abs(x) < 8) {
                Erf.erf(v).intoArray(out, 0);
                for (int i = 0; i < lanes; i++) {
                    worstErf = Math.max(worstErf, Math.abs(out[i] - Erf.erf(in[i])));
                }
                VectorMath.tanh(v).intoArray(out, 0);
                for (int i = 0; i < lanes; i++) {
                    worstTanh = Math.max(worstTanh, Math.abs(out[i] - Math.tanh(in[i])));
                }
            }
        }
        assertTrue(worstExp < 4e-7, "exp relative error " + worstExp);
        assertTrue(worstErf < 3e-7, "erf absolute error " + worstErf);
        assertTrue(worstTanh < 4e-7, "tanh absolute error " + worstTanh);
    }

    @Test
    void expOfNonPositiveArgumentsIsAccurateAndUnderflowsToExactZero() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] in = new float[lanes];
        float[] out = new float[lanes];
        double worst = 0;
        for (float x = -87f; x <= 0f; x += 0.00731f * lanes) {
            for (int i = 0; i < lanes; i++) {
                in[i] = Math.min(0f, x + 0.00731f * i);
            }
            VectorMath.expNonPositive(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, in, 0)).intoArray(out, 0);
            for (int i = 0; i < lanes; i++) {
                double e = Math.exp(in[i]);
                worst = Math.max(worst, Math.abs(out[i] - e) / e);
            }
        }
        assertTrue(worst < 2e-7, "relative error " + worst);
        float[] edges = new float[lanes];
        edges[0] = 0f;
        edges[1] = Float.NEGATIVE_INFINITY;
        edges[2] = -88.5f;  // below the normal range: 0, not a subnormal
        edges[3] = -1e30f;
        VectorMath.expNonPositive(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, edges, 0)).intoArray(out, 0);
        assertEquals(1f, out[0]);
        assertEquals(0f, out[1]);
        assertEquals(0f, out[2]);
        assertEquals(0f, out[3]);
    }

    @Test
    void expOfMinusInfinityIsExactlyZero() {
        float[] out = new float[FloatVector.SPECIES_PREFERRED.length()];
        VectorMath.exp(FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, Float.NEGATIVE_INFINITY)).intoArray(out, 0);
        assertEquals(0f, out[0]);
    }

    @Test
    void firstMaximumIsTheScalarArgmaxWithTiesSignedZerosAndInfinities() {
        java.util.Random random = new java.util.Random(13);
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, Float.MAX_VALUE};
        for (int n : new int[] {1, 2, 15, 16, 17, 33, 100, 1000}) {
            for (int repeat = 0; repeat < 200; repeat++) {
                float[] a = new float[n + 7];
                for (int i = 0; i < a.length; i++) {
                    // few distinct values, so ties are common, and the specials now and then
                    a[i] = random.nextInt(8) == 0 ? specials[random.nextInt(specials.length)] : random.nextInt(5) - 3;
                }
                int from = random.nextInt(4);
                int to = from + n;
                int expected = -1;
                for (int i = from; i < to; i++) {
                    if (expected < 0 || a[i] > a[expected]) {
                        expected = i;
                    }
                }
                assertEquals(expected, VectorMath.firstMaximum(a, from, to), "n = " + n + ", " + java.util.Arrays.toString(a));
                a[from + random.nextInt(n)] = Float.NaN;
                assertEquals(-1, VectorMath.firstMaximum(a, from, to), "a NaN, n = " + n);
            }
        }
        assertEquals(-1, VectorMath.firstMaximum(new float[3], 1, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> VectorMath.firstMaximum(new float[3], 2, 4));
    }

    @Test
    void laneSumAddsLanesInAFixedButterflyOrder() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] in = new float[lanes];
        for (int i = 0; i < lanes; i++) {
            in[i] = i % 3 == 0 ? 1e8f : 1.25f * (i + 1);  // large and small lanes: the order shows in the bits
        }
        // the same butterfly in scalar code: lane i += lane i ^ step for step = lanes/2 … 1
        float[] ref = in.clone();
        for (int step = lanes / 2; step >= 1; step /= 2) {
            float[] next = new float[lanes];
            for (int i = 0; i < lanes; i++) {
                next[i] = ref[i] + ref[i ^ step];
            }
            ref = next;
        }
        assertEquals(ref[0], VectorMath.laneSum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, in, 0)));
    }

    @Test
    void expInPlaceReturnsTheSumAndSkipsHiddenBlocksWithTheSameBits() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] a = new float[4 * lanes];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i / lanes == 2) ? Float.NEGATIVE_INFINITY : -0.37f * i;
        }
        float[] plain = a.clone();
        float sum = VectorMath.expInPlace(plain, 0, a.length, -1f, null, 0);
        double exact = 0;
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(a[i] + 1), plain[i], 4e-7 * Math.exp(a[i] + 1));
            exact += plain[i];
        }
        assertEquals(exact, sum, 1e-6 * exact);
        float[] skipped = a.clone();
        boolean[] hidden = {false, false, true, false};  // the −∞ block: the call starts at block 1
        float withHidden = VectorMath.expInPlace(skipped, lanes, a.length, -1f, hidden, 1);
        float expected = VectorMath.expInPlace(a.clone(), lanes, a.length, -1f, null, 1);
        assertEquals(expected, withHidden);
        for (int i = lanes; i < a.length; i++) {
            assertEquals(plain[i], skipped[i]);
        }
    }

    @Test
    void scaleIntoWritesAnUnalignedRangeWithItsTail() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] a = new float[3 * lanes];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        float[] out = new float[3 * lanes + 5];
        java.util.Arrays.fill(out, -1f);
        VectorMath.scaleInto(a, 1, a.length - 2, 0.5f, out, 4);
        for (int i = 0; i < out.length; i++) {
            int src = i - 4 + 1;
            assertEquals(src >= 1 && src < a.length - 2 ? 0.5f * src : -1f, out[i], "out[" + i + "]");
        }
    }
}
