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
    void expOfMinusInfinityIsExactlyZero() {
        float[] out = new float[FloatVector.SPECIES_PREFERRED.length()];
        VectorMath.exp(FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, Float.NEGATIVE_INFINITY)).intoArray(out, 0);
        assertEquals(0f, out[0]);
    }
}
