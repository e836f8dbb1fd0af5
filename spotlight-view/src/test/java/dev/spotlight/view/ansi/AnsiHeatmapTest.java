package dev.spotlight.view.ansi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.view.ColorScale;
import dev.spotlight.view.Heatmap;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnsiHeatmapTest {

    @Test
    void cellsAreTrueColourBackgroundsScaledToTheMaximum() {
        List<String> tokens = List.of("a", "b");
        String out = AnsiHeatmap.render(new Heatmap("t", tokens, tokens, new double[][] {{0.5, 0}, {0.25, 0.25}}, null));
        int top = ColorScale.rgb(1.0);
        int zero = ColorScale.rgb(0.0);
        assertTrue(out.contains("\u001b[48;2;" + (top >> 16) + ";" + (top >> 8 & 0xff) + ";" + (top & 0xff) + "m  "), out);
        assertTrue(out.contains("\u001b[48;2;" + (zero >> 16) + ";" + (zero >> 8 & 0xff) + ";" + (zero & 0xff) + "m  "), out);
        assertEquals(2 + 2 + 1, out.split("\n").length, "title, column numbers, two rows, column key");
        assertTrue(out.contains("columns: 0=a 1=b"));
    }

    @Test
    void maskedCellsAreShadedNotColoured() {
        List<String> tokens = List.of("a", "b");
        String out = AnsiHeatmap.render(new Heatmap("t", tokens, tokens, new double[][] {{1, 0}, {0, 1}},
                new boolean[][] {{false, true}, {false, false}}));
        assertTrue(out.contains("░░"));
    }

    @Test
    void escapeSequencesInTokensCannotReachTheTerminal() {
        List<String> tokens = List.of("\u001b[2J", "ok");
        String out = AnsiHeatmap.render(new Heatmap("t", tokens, tokens, new double[][] {{1, 0}, {0, 1}}, null));
        assertFalse(out.contains("\u001b[2J"));
        assertTrue(out.contains("\uFFFD[2J"));
    }

    @Test
    void causalHeatmapShadesLaterKeysAndUnderlinesGeneratedTokens() {
        // Two prompt tokens, one generated; causal: the upper triangle is masked.
        List<String> tokens = List.of("a", "b", "gen");
        double[][] values = {{1, 0, 0}, {.5, .5, 0}, {.2, .3, .5}};
        boolean[][] masked = {{false, true, true}, {false, false, true}, {false, false, false}};
        String out = AnsiHeatmap.render(new Heatmap("t", tokens, tokens, values, masked, 2));
        String[] lines = out.split("\n");
        assertEquals(2, lines[2].split("░░", -1).length - 1, "first query: two later keys masked: " + lines[2]);
        assertEquals(0, lines[4].split("░░", -1).length - 1, "last query sees every key");
        assertTrue(lines[4].contains("\u001b[4mgen\u001b[24m"), "generated row label underlined: " + lines[4]);
        assertFalse(lines[3].contains("\u001b[4m"), "prompt rows are not");
        assertTrue(out.contains("░░ masked\n"));
        assertTrue(out.endsWith("generated tokens (underlined): 2\n"), out);
    }
}
