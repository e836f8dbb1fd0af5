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

    @Test
    void causalStatisticsLeaveOutTheForcedFirstQueryAndCountTheFirstToken() {
        // No special tokens. Query 0 sees only itself (forced 1): left out, so the means are over queries 1, 2.
        float[][][][] attention = {{{{1, 0, 0}, {.4f, .6f, 0}, {.2f, .3f, .5f}}}};
        HeadStatistics stats = HeadStatistics.of(attention, new boolean[3], AttentionPattern.causal());
        double row1 = -(.4 * Math.log(.4) + .6 * Math.log(.6));
        double row2 = -(.2 * Math.log(.2) + .3 * Math.log(.3) + .5 * Math.log(.5));
        assertEquals((row1 + row2) / 2, stats.entropy()[0][0], 1e-6);
        assertEquals((.4 + .2) / 2, stats.cls()[0][0], 1e-6, "a decoder's first token counts, special or not");
        assertEquals(0, stats.sep()[0][0], 1e-9);
        assertEquals((.6 + .5) / 2, stats.self()[0][0], 1e-6);
        assertEquals((.4 + .3) / 2, stats.previous()[0][0], 1e-6);
    }

    @Test
    void slidingWindowOfOneLeavesNoChoiceSoEveryQueryCounts() {
        float[][][][] attention = {{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}};
        HeadStatistics stats = HeadStatistics.of(attention, new boolean[3], AttentionPattern.slidingWindow(1));
        assertEquals(1, stats.self()[0][0], 1e-9);
        assertEquals(0, stats.previous()[0][0], "the previous token is outside every window");
        assertEquals(1.0 / 3, stats.cls()[0][0], 1e-9);
        assertEquals(0, stats.entropy()[0][0], 1e-9);
    }
}
