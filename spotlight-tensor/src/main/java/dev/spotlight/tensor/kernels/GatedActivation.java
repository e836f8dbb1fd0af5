package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** The gate of a gated MLP (SwiGLU, Shazeer 2020): {@code act(gate) ⊙ up}, element by element. */
public final class GatedActivation {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Elements per parallel task: enough work to outweigh the hand-off. */
    private static final int CHUNK = 16 * 1024;

    private GatedActivation() {
    }

    /**
     * gate[i] = silu(gate[i]) · up[i] for i in [0, n), silu(x) = x / (1 + e^−x) as PyTorch computes it
     * in float. Each element is computed alone, so the result never depends on n or the thread count.
     */
    public static void siluMul(float[] gate, float[] up, int n) {
        if (gate.length < n || up.length < n) {
            throw new IllegalArgumentException("gate has " + gate.length + " and up " + up.length + " values, need " + n);
        }
        Parallel.forRange(Math.ceilDiv(n, CHUNK), task -> {
            int from = task * CHUNK;
            int to = Math.min(n, from + CHUNK);
            for (int i = from; i < to; i += S.length()) {
                VectorMask<Float> m = S.indexInRange(i, to);
                FloatVector g = FloatVector.fromArray(S, gate, i, m);
                FloatVector u = FloatVector.fromArray(S, up, i, m);
                FloatVector silu = g.div(VectorMath.exp(g.neg()).add(1f));
                silu.mul(u).intoArray(gate, i, m);
            }
        });
    }

    /** The scalar form of {@link #siluMul} for one element, for tests and references. */
    public static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }
}
