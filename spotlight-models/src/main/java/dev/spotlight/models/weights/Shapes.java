package dev.spotlight.models.weights;

import dev.spotlight.models.ModelFormatException;

import java.util.Arrays;

/** Element counts of shapes read from untrusted files: overflow and negative dims are errors. */
final class Shapes {
    private Shapes() {
    }

    static long elementCount(long[] shape, String what) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new ModelFormatException(what + ": negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new ModelFormatException(what + ": shape " + Arrays.toString(shape) + " overflows a 64-bit element count");
            }
        }
        return n;
    }
}
