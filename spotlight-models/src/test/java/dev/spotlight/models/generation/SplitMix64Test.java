package dev.spotlight.models.generation;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SplitMix64Test {

    @Test
    void matchesTheJdksSplittableRandomForManySeeds() {
        // java.util.SplittableRandom implements the same published algorithm independently
        for (long seed : new long[]{0, 1, -1, 42, Long.MIN_VALUE, 0x9E3779B97F4A7C15L, 123456789}) {
            SplitMix64 ours = new SplitMix64(seed);
            SplittableRandom jdk = new SplittableRandom(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(jdk.nextLong(), ours.nextLong(), "seed " + seed + " draw " + i);
            }
            ours = new SplitMix64(seed);
            jdk = new SplittableRandom(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(jdk.nextDouble(), ours.nextDouble(), "seed " + seed + " double " + i);
            }
        }
    }

    @Test
    void matchesTheReferenceOutputOfSplitmix64c() {
        // Vigna's splitmix64.c with x = 0: the first three outputs
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
    }

    @Test
    void doublesLieInTheUnitInterval() {
        SplitMix64 r = new SplitMix64(5);
        for (int i = 0; i < 100_000; i++) {
            double u = r.nextDouble();
            assertEquals(true, u >= 0 && u < 1, "u " + u);
        }
    }
}
