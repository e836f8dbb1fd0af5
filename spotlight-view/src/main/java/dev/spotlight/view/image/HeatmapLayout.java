package dev.spotlight.view.image;

import dev.spotlight.view.Heatmap;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;

/**
 * Where everything of a static heatmap goes, shared by the PNG and SVG writers so both draw the same
 * picture: title on top, column labels written upwards above the grid, row labels right-aligned on the
 * left, a colour legend on the right. Label widths come from Java2D font metrics (headless).
 */
record HeatmapLayout(int cell, int margin, int titleHeight, int rowLabelWidth, int columnLabelHeight,
                     int legendWidth, int width, int height, Font labelFont, Font titleFont,
                     String[] rowLabels, String[] columnLabels) {

    /** Longest label drawn before it is cut with an ellipsis. */
    static final int MAX_LABEL_PIXELS = 160;

    static HeatmapLayout of(Heatmap heatmap) {
        int n = Math.max(heatmap.rows(), heatmap.columns());
        // Labels stay readable (>= 9 px) up to ~200 tokens; beyond that the grid wins and images grow.
        int cell = Math.clamp(720 / n, 4, 28);
        int fontSize = Math.clamp(cell - 3, 9, 13);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        FontMetrics metrics = metrics(labelFont);
        String[] rows = fit(heatmap.rowLabels().toArray(String[]::new), metrics);
        String[] columns = fit(heatmap.columnLabels().toArray(String[]::new), metrics);
        int rowLabelWidth = widest(rows, metrics) + 8;
        int columnLabelHeight = widest(columns, metrics) + 8;
        int margin = 16;
        int titleHeight = 28;
        int legendWidth = 70;
        int width = margin + rowLabelWidth + cell * heatmap.columns() + 16 + legendWidth + margin;
        int gridBottom = margin + titleHeight + columnLabelHeight + cell * heatmap.rows();
        int keys = (heatmap.hasMasked() ? KEY_STEP : 0) + (heatmap.hasGenerated() ? KEY_STEP : 0);
        int legendBottom = margin + titleHeight + columnLabelHeight + barHeight(cell, heatmap.rows()) + 8 + keys;
        int height = Math.max(Math.max(gridBottom, legendBottom) + margin, margin + titleHeight + 200);
        return new HeatmapLayout(cell, margin, titleHeight, rowLabelWidth, columnLabelHeight, legendWidth,
                width, height, labelFont, titleFont, rows, columns);
    }

    /** Height of one legend key (the hatched "masked" swatch, the "generated" label) below the colour bar. */
    static final int KEY_STEP = 20;

    private static int barHeight(int cell, int rows) {
        return Math.max(120, Math.min(240, cell * rows));
    }

    /** Height of the colour bar. */
    int legendHeight(int rows) {
        return barHeight(cell, rows);
    }

    /** Top of the first legend key under the colour bar. */
    int keysTop(int rows) {
        return gridY() + legendHeight(rows) + 8;
    }

    int gridX() {
        return margin + rowLabelWidth;
    }

    int gridY() {
        return margin + titleHeight + columnLabelHeight;
    }

    int legendX(int columns) {
        return gridX() + cell * columns + 16;
    }

    static FontMetrics metrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        var g = scratch.createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /** Control characters become U+FFFD (they would draw as boxes or break SVG); long labels get "…". */
    static String[] fit(String[] labels, FontMetrics metrics) {
        String[] out = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            StringBuilder clean = new StringBuilder();
            labels[i].codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? 0xFFFD : c));
            String s = clean.toString();
            if (metrics.stringWidth(s) > MAX_LABEL_PIXELS) {
                while (!s.isEmpty() && metrics.stringWidth(s + "…") > MAX_LABEL_PIXELS) {
                    s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
                }
                s = s + "…";
            }
            out[i] = s;
        }
        return out;
    }

    private static int widest(String[] labels, FontMetrics metrics) {
        int max = 0;
        for (String label : labels) {
            max = Math.max(max, metrics.stringWidth(label));
        }
        return max;
    }
}
