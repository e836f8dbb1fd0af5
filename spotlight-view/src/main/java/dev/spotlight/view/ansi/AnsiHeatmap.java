package dev.spotlight.view.ansi;

import dev.spotlight.view.ColorScale;
import dev.spotlight.view.Heatmap;
import java.util.Locale;

/**
 * A heatmap for the terminal: each cell two spaces on a 24-bit background colour, rows labelled with
 * their token, columns numbered with a key listing the column tokens underneath. Masked cells show
 * {@code ░░} (padding, or keys a causal pattern hides), never a colour. Generated tokens' row labels are
 * underlined and listed after the column key. Token text is sanitised: a control character (ESC above all) could otherwise rewrite
 * the user's terminal.
 */
public final class AnsiHeatmap {
    private static final String RESET = "\u001b[0m";
    private static final String UNDERLINE = "\u001b[4m";
    private static final String NO_UNDERLINE = "\u001b[24m";
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
            out.append(pad(sanitize(heatmap.rowLabels().get(i)), heatmap.isGenerated(i))).append(' ');
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
        out.append('\n');
        if (heatmap.hasMasked()) {
            out.append("░░ masked\n");
        }
        if (heatmap.hasGenerated()) {
            int last = Math.max(heatmap.rows(), heatmap.columns()) - 1;
            out.append("generated tokens (underlined): ").append(heatmap.promptTokens())
                    .append(last > heatmap.promptTokens() ? "–" + last : "").append('\n');
        }
        return out.toString();
    }

    /** Replaces control characters (C0, DEL, C1) with U+FFFD. */
    static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? 0xFFFD : c));
        return out.toString();
    }

    /** Right-aligned in the label column; a generated token's text (not its padding) underlined. */
    private static String pad(String label, boolean generated) {
        int length = label.codePointCount(0, label.length());
        if (length > LABEL_WIDTH) {
            label = label.substring(0, label.offsetByCodePoints(0, LABEL_WIDTH - 1)) + "…";
            length = LABEL_WIDTH;
        }
        return " ".repeat(LABEL_WIDTH - length) + (generated ? UNDERLINE + label + NO_UNDERLINE : label);
    }
}
