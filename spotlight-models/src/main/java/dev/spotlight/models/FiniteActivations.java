package dev.spotlight.models;

import dev.spotlight.tensor.kernels.Finite;
import java.util.function.IntFunction;

/**
 * The run-time half of {@link dev.spotlight.models.weights.FiniteWeights}: weights are refused at load
 * when one is NaN or infinite, and a forward pass is stopped when finite weights still drive an
 * activation out of float32's range (a large hidden state through a large weight). After that point
 * every output would be NaN, or, where attention or a norm maps the NaN to zeros, plausible-looking
 * garbage: NaN embeddings and similarities, a generation that picks tokens from nothing. So the pass
 * fails with the place and the token instead. Encoders and decoders check their query, key and value
 * projections, each layer's output and the logits.
 */
public final class FiniteActivations {
    private FiniteActivations() {
    }

    /**
     * Fails unless {@code x[0, length)} is finite.
     *
     * @param what  the activation, for the message ("layer 3's output")
     * @param token the token a flat index belongs to ("sequence 0, position 5")
     * @throws ModelException naming {@code what}, the value and the token
     */
    public static void check(float[] x, int length, String what, IntFunction<String> token) {
        int i = Finite.firstNonFinite(x, 0, length);
        if (i >= 0) {
            throw new ModelException(what + " is " + x[i] + " at " + token.apply(i) + ": the activations left float32's"
                    + " range although every weight is finite (weights too large for this input), so every output after"
                    + " this point would be NaN or meaningless");
        }
    }
}
