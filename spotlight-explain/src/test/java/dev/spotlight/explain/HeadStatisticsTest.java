package dev.spotlight.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HeadStatisticsTest {

    @Test
    void statisticsMatchHandComputation() {
        // Tokens: [CLS] word [SEP].
        float[][][][] attention = {{{{.5f, .25f, .25f}, {.2f, .3f, .5f}, {1, 0, 0}}}};
        HeadStatistics stats = HeadStatistics.of(attention, new boolean[] {true, false, true});
        double row0 = -(.5 * Math.log(.5) + 2 * .25 * Math.log(.25));
        double row1 = -(.2 * Math.log(.2) + .3 * Math.log(.3) + .5 * Math.log(.5));
        assertEquals((row0 + row1 + 0) / 3, stats.entropy()[0][0], 1e-6);
        assertEquals((.5 + .2 + 1) / 3, stats.cls()[0][0], 1e-6);
        assertEquals((.25 + .5 + 0) / 3, stats.sep()[0][0], 1e-6);
        assertEquals((.5 + .3 + 0) / 3, stats.self()[0][0], 1e-6);
        assertEquals((.2 + 0) / 2, stats.previous()[0][0], 1e-6);
    }

    @Test
    void noSpecialTokensMeansNoClsOrSepShare() {
        float[][][][] attention = {{{{1, 0}, {0, 1}}}};
        HeadStatistics stats = HeadStatistics.of(attention, new boolean[] {false, false});
        assertEquals(0, stats.cls()[0][0]);
        assertEquals(0, stats.sep()[0][0]);
        assertEquals(1, stats.self()[0][0], 1e-9);
        assertEquals(0, stats.entropy()[0][0], 1e-9);
    }
}
