package dev.spotlight.view;

import java.util.List;

/**
 * A labelled matrix ready to draw, the common input of the image and terminal renderers.
 *
 * @param title        caption, e.g. "layer 3 · head 7"
 * @param rowLabels    {@code [rows]} query token strings, drawn verbatim (renderers escape them)
 * @param columnLabels {@code [columns]} key token strings
 * @param values       {@code [rows][columns]} non-negative values; the colour scale runs from 0 to the maximum
 * @param masked       {@code [rows][columns]} true where the entry was masked (drawn hatched, not as a small
 *                     value), or null when nothing is masked
 * @param promptTokens row and column labels from this index on are generated tokens (drawn apart); the
 *                     longer label count when every token came from the input
 */
public record Heatmap(String title, List<String> rowLabels, List<String> columnLabels, double[][] values,
                      boolean[][] masked, int promptTokens) {

    public Heatmap {
        rowLabels = List.copyOf(rowLabels);
        columnLabels = List.copyOf(columnLabels);
        if (values == null || values.length == 0 || values.length != rowLabels.size()) {
            throw new ViewException("heatmap values: expected " + rowLabels.size() + " rows (one per row label), got "
                    + (values == null ? "null" : values.length));
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || values[i].length != columnLabels.size() || columnLabels.isEmpty()) {
                throw new ViewException("heatmap values[" + i + "]: expected " + columnLabels.size()
                        + " columns (one per column label)");
            }
            for (int j = 0; j < values[i].length; j++) {
                if (!(values[i][j] >= 0) || Double.isInfinite(values[i][j])) {
                    throw new ViewException("heatmap values[" + i + "][" + j + "] = " + values[i][j]
                            + ": expected a finite value >= 0");
                }
            }
        }
        if (masked != null && (masked.length != values.length || masked[0].length != columnLabels.size())) {
            throw new ViewException("heatmap masked: expected the shape of values");
        }
        int labels = Math.max(rowLabels.size(), columnLabels.size());
        if (promptTokens < 0 || promptTokens > labels) {
            throw new ViewException("heatmap promptTokens: " + promptTokens + ", expected 0.." + labels);
        }
        title = title == null ? "" : title;
    }

    /** A heatmap whose tokens all came from the input. */
    public Heatmap(String title, List<String> rowLabels, List<String> columnLabels, double[][] values,
                   boolean[][] masked) {
        this(title, rowLabels, columnLabels, values, masked, Math.max(rowLabels.size(), columnLabels.size()));
    }

    public int rows() {
        return values.length;
    }

    public int columns() {
        return values[0].length;
    }

    public boolean isMasked(int row, int column) {
        return masked != null && masked[row][column];
    }

    /** Whether the row or column label at {@code index} is a generated token. */
    public boolean isGenerated(int index) {
        return index >= promptTokens;
    }

    /** Whether any label is a generated token. */
    public boolean hasGenerated() {
        return promptTokens < Math.max(rows(), columns());
    }

    /** Whether any cell is masked. */
    public boolean hasMasked() {
        if (masked != null) {
            for (boolean[] row : masked) {
                for (boolean m : row) {
                    if (m) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The largest value, or 1 when all are 0, so the scale never divides by zero. */
    public double max() {
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                max = Math.max(max, v);
            }
        }
        return max > 0 ? max : 1;
    }
}
