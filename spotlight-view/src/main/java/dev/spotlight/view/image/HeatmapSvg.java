package dev.spotlight.view.image;

import dev.spotlight.view.ColorScale;
import dev.spotlight.view.Heatmap;
import dev.spotlight.view.OutputFiles;
import dev.spotlight.view.OutputMark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a {@link Heatmap} as a standalone SVG document with the same layout as {@link HeatmapImage}. */
public final class HeatmapSvg {
    /** Generated tokens' labels: orange and underlined, as in the PNG. */
    private static final String GENERATED_STYLE = " fill=\"#c2410c\" text-decoration=\"underline\"";

    private HeatmapSvg() {
    }

    public static String render(Heatmap heatmap) {
        HeatmapLayout layout = HeatmapLayout.of(heatmap);
        int cell = layout.cell();
        StringBuilder svg = new StringBuilder(64 + heatmap.rows() * heatmap.columns() * 60);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").append(OutputMark.SVG).append('\n')
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(layout.width())
                .append("\" height=\"").append(layout.height()).append("\" viewBox=\"0 0 ").append(layout.width())
                .append(' ').append(layout.height()).append("\" font-family=\"sans-serif\">\n")
                .append("<defs><pattern id=\"masked\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" ")
                .append("patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#d9dde3\"/>")
                .append("<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"4\" stroke=\"#9aa5b1\" stroke-width=\"1.2\"/></pattern>")
                .append("<linearGradient id=\"legend\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
        for (int s = 0; s <= 8; s++) {
            svg.append("<stop offset=\"").append(s / 8.0).append("\" stop-color=\"").append(hex(ColorScale.rgb(s / 8.0)))
                    .append("\"/>");
        }
        svg.append("</linearGradient></defs>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
                .append("<text x=\"").append(layout.margin()).append("\" y=\"").append(layout.margin() + 16)
                .append("\" font-size=\"15\" font-weight=\"bold\" fill=\"#1f2933\">").append(escape(heatmap.title()))
                .append("</text>\n<g shape-rendering=\"crispEdges\">\n");
        double max = heatmap.max();
        for (int i = 0; i < heatmap.rows(); i++) {
            for (int j = 0; j < heatmap.columns(); j++) {
                String fill = heatmap.isMasked(i, j) ? "url(#masked)" : hex(ColorScale.rgb(heatmap.values()[i][j] / max));
                svg.append("<rect x=\"").append(layout.gridX() + j * cell).append("\" y=\"")
                        .append(layout.gridY() + i * cell).append("\" width=\"").append(cell).append("\" height=\"")
                        .append(cell).append("\" fill=\"").append(fill).append("\"><title>")
                        .append(escape(layout.rowLabels()[i])).append(" → ").append(escape(layout.columnLabels()[j]))
                        .append(": ").append(heatmap.isMasked(i, j) ? "masked" : HeatmapImage.format(heatmap.values()[i][j]))
                        .append("</title></rect>\n");
            }
        }
        svg.append("</g>\n<g font-size=\"").append(layout.labelFont().getSize()).append("\" fill=\"#1f2933\">\n");
        int middle = cell / 2;
        for (int i = 0; i < heatmap.rows(); i++) {
            svg.append("<text x=\"").append(layout.gridX() - 6).append("\" y=\"").append(layout.gridY() + i * cell + middle)
                    .append("\" text-anchor=\"end\" dominant-baseline=\"central\"").append(generated(heatmap, i)).append('>')
                    .append(escape(layout.rowLabels()[i])).append("</text>\n");
        }
        for (int j = 0; j < heatmap.columns(); j++) {
            int x = layout.gridX() + j * cell + middle;
            int y = layout.gridY() - 6;
            svg.append("<text transform=\"translate(").append(x).append(' ').append(y)
                    .append(") rotate(-90)\" dominant-baseline=\"central\"").append(generated(heatmap, j)).append('>')
                    .append(escape(layout.columnLabels()[j])).append("</text>\n");
        }
        int legendX = layout.legendX(heatmap.columns());
        int legendHeight = layout.legendHeight(heatmap.rows());
        svg.append("</g>\n<rect x=\"").append(legendX).append("\" y=\"").append(layout.gridY())
                .append("\" width=\"14\" height=\"").append(legendHeight)
                .append("\" fill=\"url(#legend)\" stroke=\"#9aa5b1\"/>\n")
                .append("<text x=\"").append(legendX + 18).append("\" y=\"").append(layout.gridY() + 10)
                .append("\" font-size=\"11\" fill=\"#1f2933\">").append(HeatmapImage.format(max)).append("</text>\n")
                .append("<text x=\"").append(legendX + 18).append("\" y=\"").append(layout.gridY() + legendHeight)
                .append("\" font-size=\"11\" fill=\"#1f2933\">0</text>\n");
        int key = layout.keysTop(heatmap.rows());
        if (heatmap.hasMasked()) {
            svg.append("<rect x=\"").append(legendX).append("\" y=\"").append(key)
                    .append("\" width=\"14\" height=\"14\" fill=\"url(#masked)\"/>\n<text x=\"").append(legendX + 18)
                    .append("\" y=\"").append(key + 11).append("\" font-size=\"11\" fill=\"#1f2933\">masked</text>\n");
            key += HeatmapLayout.KEY_STEP;
        }
        if (heatmap.hasGenerated()) {
            svg.append("<text x=\"").append(legendX).append("\" y=\"").append(key + 11).append("\" font-size=\"11\"")
                    .append(GENERATED_STYLE).append(">generated</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static String generated(Heatmap heatmap, int index) {
        return heatmap.isGenerated(index) ? GENERATED_STYLE : "";
    }

    public static void write(Heatmap heatmap, Path out) {
        OutputFiles.write(out, "SVG", path -> Files.writeString(path, render(heatmap)));
    }

    /** XML text and attribute escaping; labels are already free of control characters. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb);
    }
}
