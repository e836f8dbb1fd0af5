package dev.spotlight.models.generation;

/**
 * The random stream behind sampling: Steele, Lea and Flood's SplitMix64 (the generator of
 * {@code java.util.SplittableRandom} and of Vigna's {@code splitmix64.c}). The state advances by the
 * golden-ratio increment {@code 0x9E3779B97F4A7C15} and each output is the state through Stafford's
 * "variant 13" mixer; a double is the top 53 bits of one output times 2^-53, so it lies in [0, 1).
 * Written out here rather than borrowed from the JDK so that the stream is fixed by this file alone:
 * the same seed gives the same draws on every JVM, and a reference in any language can reproduce it.
 */
final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = state += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
