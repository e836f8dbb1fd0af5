package dev.spotlight.tensor.kernels;

import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Finds NaN and ±∞ in activations. A forward pass calls it on every layer's output, so it costs one
 * load, one subtract and one add per vector: v − v is 0 in every finite lane and NaN in every other,
 * and a NaN survives any sum. Only when the sum is NaN does a scalar pass look for the first culprit.
 */
public final class Finite {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Finite() {
    }

    /** The index of the first NaN or ±∞ in {@code x[from, to)}, or −1 when every value is finite. */
    public static int firstNonFinite(float[] x, int from, int to) {
        Objects.checkFromToIndex(from, to, x.length);
        FloatVector sum = FloatVector.zero(S);
        int i = from;
        for (; i + S.length() <= to; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            sum = sum.add(v.sub(v));
        }
        int scanFrom = Float.isNaN(sum.reduceLanes(VectorOperators.ADD)) ? from : i;
        for (int j = scanFrom; j < to; j++) {
            if (!Float.isFinite(x[j])) {
                return j;
            }
        }
        return -1;
    }
}
