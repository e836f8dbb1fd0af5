package dev.spotlight.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.explain.PaddingSide;
import dev.spotlight.explain.SequenceCapture;
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
    void outOfRangeLayerOrHeadNamesTheRange() {
        ViewException layer = assertThrows(ViewException.class, () -> Heatmaps.head(capture, 4, 0));
        assertEquals("layer 4: expected 0..3", layer.getMessage());
        ViewException head = assertThrows(ViewException.class, () -> Heatmaps.head(capture, 0, 6));
        assertEquals("head 6: expected 0..5", head.getMessage());
    }
}
