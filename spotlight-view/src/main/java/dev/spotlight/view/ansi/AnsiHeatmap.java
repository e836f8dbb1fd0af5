package dev.spotlight.view.ansi;

import dev.spotlight.view.ColorScale;
import dev.spotlight.view.Heatmap;
import java.util.Locale;

/**
 * A heatmap for the terminal: each cell two spaces on a 24-bit background colour, rows labelled with
 * their token, columns numbered with a key listing the column tokens underneath. Masked cells show
 * {@code ░░}. Token text is sanitised: a control character (ESC above all) could otherwise rewrite
 * the user's terminal.
 */
public final class AnsiHeatmap {
    private static final String RESET = "\u001b[0m";
    private static final int LABEL_WIDTH = 14;

    private AnsiHeatmap() {
    }

    public static String render(Heatmap heatmap) {
        StringBuilder out = new StringBuilder();
        out.append(sanitize(heatmap.title())).append(String.format(Locale.ROOT, "  (0 … %.3g)%n", heatmap.max()));
        out.append(" ".repeat(LABEL_WIDTH + 1));
        for (int j = 0; j < heatmap.columns(); j++) {
            out.append(String.format(Locale.ROOT, "%-2s", Integer.toString(j % 100)));
        }
        out.append('\n');
        double max = heatmap.max();
        for (int i = 0; i < heatmap.rows(); i++) {
            out.append(pad(sanitize(heatmap.rowLabels().get(i)))).append(' ');
            for (int j = 0; j < heatmap.columns(); j++) {
                if (heatmap.isMasked(i, j)) {
                    out.append(RESET).append("░░");
                } else {
                    int rgb = ColorScale.rgb(heatmap.values()[i][j] / max);
                    out.append("\u001b[48;2;").append(rgb >> 16 & 0xff).append(';').append(rgb >> 8 & 0xff)
                            .append(';').append(rgb & 0xff).append("m  ");
                }
            }
            out.append(RESET).append('\n');
        }
        out.append("columns:");
        for (int j = 0; j < heatmap.columns(); j++) {
            out.append(' ').append(j).append('=').append(sanitize(heatmap.columnLabels().get(j)));
        }
        return out.append('\n').toString();
    }

    /** Replaces control characters (C0, DEL, C1) with U+FFFD. */
    static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? 0xFFFD : c));
        return out.toString();
    }

    private static String pad(String label) {
        int length = label.codePointCount(0, label.length());
        if (length > LABEL_WIDTH) {
            return label.substring(0, label.offsetByCodePoints(0, LABEL_WIDTH - 1)) + "…";
        }
        return " ".repeat(LABEL_WIDTH - length) + label;
    }
}
