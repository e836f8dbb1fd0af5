package dev.spotlight.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.explain.AttentionPattern;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.explain.SequenceCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeatmapsTest {
    private final SequenceCapture capture = SyntheticCaptures.smallBatch(PaddingSide.RIGHT).sequences().get(2);

    @Test
    void headHeatmapIsTheCapturedMatrix() {
        Heatmap heatmap = Heatmaps.head(capture, 1, 2);
        assertEquals(capture.attention()[1][2][3][0], heatmap.values()[3][0], 0.0);
        assertEquals(capture.tokens(), heatmap.rowLabels());
    }

    @Test
    void meanOverHeadsAveragesEveryHead() {
        double expected = 0;
        for (float[][] head : capture.attention()[0]) {
            expected += head[1][2] / 6.0;
        }
        assertEquals(expected, Heatmaps.meanOverHeads(capture, 0).values()[1][2], 1e-7);
    }

    @Test
    void causalHeatmapsMaskTheUpperTriangleAndKnowTheGeneratedTokens() {
        SequenceCapture decoder = SyntheticCaptures.decoderBatch().sequences().get(1); // 3 prompt + 3 generated
        for (Heatmap heatmap : List.of(Heatmaps.head(decoder, 2, 1), Heatmaps.meanOverHeads(decoder, 0), Heatmaps.rollout(decoder))) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    assertEquals(j > i, heatmap.isMasked(i, j), heatmap.title() + " [" + i + "][" + j + "]");
                }
            }
            assertEquals(3, heatmap.promptTokens());
            assertFalse(heatmap.isGenerated(2));
            assertTrue(heatmap.isGenerated(3));
        }
    }

    @Test
    void slidingWindowRolloutMasksOnlyWhatNoChainOfLayersReaches() {
        // Window 2 over 6 tokens, 3 layers: one layer sees 1 back, the rollout through 3 layers sees 3 back.
        AttentionPattern window = AttentionPattern.slidingWindow(2);
        float[][][][] attention = new float[3][1][6][6];
        for (float[][][] layer : attention) {
            for (int i = 0; i < 6; i++) {
                layer[0][i][i] = i == 0 ? 1 : .5f;
                if (i > 0) {
                    layer[0][i][i - 1] = .5f;
                }
            }
        }
        SequenceCapture capture = new SequenceCapture("", List.of("a", "b", "c", "d", "e", "f"), new boolean[6],
                new int[] {1, 1, 1, 1, 1, 1}, attention, null, window, 6);
        Heatmap head = Heatmaps.head(capture, 0, 0);
        assertTrue(head.isMasked(5, 3) && !head.isMasked(5, 4));
        Heatmap rollout = Heatmaps.rollout(capture);
        assertTrue(rollout.isMasked(5, 1) && !rollout.isMasked(5, 2), "3 layers reach 3 keys back");
        assertTrue(rollout.values()[5][2] > 0, "and the rollout does reach there");
        assertFalse(rollout.hasGenerated());
    }

    @Test
    void encoderHeatmapsMaskNothing() {
        assertEquals(null, Heatmaps.head(capture, 0, 0).masked());
        assertFalse(Heatmaps.rollout(capture).hasMasked());
        assertFalse(Heatmaps.head(capture, 0, 0).hasGenerated());
    }

    @Test
    void outOfRangeLayerOrHeadNamesTheRange() {
        ViewException layer = assertThrows(ViewException.class, () -> Heatmaps.head(capture, 4, 0));
        assertEquals("layer 4: expected 0..3", layer.getMessage());
        ViewException head = assertThrows(ViewException.class, () -> Heatmaps.head(capture, 0, 6));
        assertEquals("head 6: expected 0..5", head.getMessage());
    }
}
