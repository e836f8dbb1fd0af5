package dev.spotlight.view.image;

import dev.spotlight.view.ColorScale;
import dev.spotlight.view.Heatmap;
import dev.spotlight.view.OutputFiles;
import dev.spotlight.view.OutputMark;
import dev.spotlight.view.ViewException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Draws a {@link Heatmap} with Java2D (works headless) and writes it as PNG. */
public final class HeatmapImage {
    private static final String PNG_METADATA_FORMAT = "javax_imageio_png_1.0";
    static final Color BACKGROUND = Color.WHITE;
    static final Color TEXT = new Color(0x1f2933);
    static final Color MASKED = new Color(0xd9dde3);
    static final Color HATCH = new Color(0x9aa5b1);
    /** Generated tokens' labels: orange and underlined, apart from the prompt's dark grey. */
    static final Color GENERATED = new Color(0xc2410c);

    private HeatmapImage() {
    }

    /** Draws off-screen into a BufferedImage, which needs no display (works on a headless server). */
    public static BufferedImage render(Heatmap heatmap) {
        HeatmapLayout layout = HeatmapLayout.of(heatmap);
        BufferedImage image = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, layout.width(), layout.height());
            drawTitle(g, heatmap, layout);
            drawCells(g, heatmap, layout);
            drawLabels(g, heatmap, layout);
            drawLegend(g, heatmap, layout);
        } finally {
            g.dispose();
        }
        return image;
    }

    public static void writePng(Heatmap heatmap, Path out) {
        OutputFiles.write(out, "PNG", path -> writeMarkedPng(render(heatmap), path));
    }

    /** The PNG with a {@code Software: spotlight} text chunk ({@link OutputMark}). */
    private static void writeMarkedPng(BufferedImage image, Path out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new ViewException(out + ": no PNG writer available in this JDK");
        }
        ImageWriter writer = writers.next();
        // closing an ImageOutputStream leaves the stream under it open
        try (OutputStream file = Files.newOutputStream(out); ImageOutputStream stream = ImageIO.createImageOutputStream(file)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
            entry.setAttribute("keyword", OutputMark.PNG_KEYWORD);
            entry.setAttribute("value", OutputMark.PNG_TEXT);
            IIOMetadataNode text = new IIOMetadataNode("tEXt");
            text.appendChild(entry);
            IIOMetadataNode root = new IIOMetadataNode(PNG_METADATA_FORMAT);
            root.appendChild(text);
            metadata.mergeTree(PNG_METADATA_FORMAT, root);
            writer.setOutput(stream);
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
    }

    private static void drawTitle(Graphics2D g, Heatmap heatmap, HeatmapLayout layout) {
        g.setFont(layout.titleFont());
        g.setColor(TEXT);
        g.drawString(heatmap.title(), layout.margin(), layout.margin() + 16);
    }

    private static void drawCells(Graphics2D g, Heatmap heatmap, HeatmapLayout layout) {
        int cell = layout.cell();
        double max = heatmap.max();
        for (int i = 0; i < heatmap.rows(); i++) {
            for (int j = 0; j < heatmap.columns(); j++) {
                int x = layout.gridX() + j * cell;
                int y = layout.gridY() + i * cell;
                if (heatmap.isMasked(i, j)) {
                    drawMasked(g, x, y, cell);
                } else {
                    g.setColor(new Color(ColorScale.rgb(heatmap.values()[i][j] / max)));
                    g.fillRect(x, y, cell, cell);
                }
            }
        }
    }

    private static void drawMasked(Graphics2D g, int x, int y, int cell) {
        g.setColor(MASKED);
        g.fillRect(x, y, cell, cell);
        Shape clip = g.getClip();
        g.clipRect(x, y, cell, cell);
        g.setColor(HATCH);
        g.setStroke(new BasicStroke(1f));
        for (int d = -cell; d < cell; d += 4) {
            g.drawLine(x + d, y + cell, x + d + cell, y);
        }
        g.setClip(clip);
    }

    private static void drawLabels(Graphics2D g, Heatmap heatmap, HeatmapLayout layout) {
        g.setFont(layout.labelFont());
        FontMetrics metrics = g.getFontMetrics();
        int cell = layout.cell();
        int baseline = (cell + metrics.getAscent() - metrics.getDescent()) / 2;
        String[] rows = layout.rowLabels();
        for (int i = 0; i < rows.length; i++) {
            int w = metrics.stringWidth(rows[i]);
            drawLabel(g, rows[i], layout.gridX() - 6 - w, layout.gridY() + i * cell + baseline, w, heatmap.isGenerated(i));
        }
        String[] columns = layout.columnLabels();
        AffineTransform saved = g.getTransform();
        for (int j = 0; j < columns.length; j++) {
            g.setTransform(saved);
            g.translate(layout.gridX() + j * cell + baseline, layout.gridY() - 6);
            g.rotate(-Math.PI / 2);
            drawLabel(g, columns[j], 0, 0, metrics.stringWidth(columns[j]), heatmap.isGenerated(j));
        }
        g.setTransform(saved);
    }

    /** Prompt labels plain; generated ones orange and underlined, so they stay apart without colour too. */
    private static void drawLabel(Graphics2D g, String label, int x, int y, int width, boolean generated) {
        g.setColor(generated ? GENERATED : TEXT);
        g.drawString(label, x, y);
        if (generated) {
            g.fillRect(x, y + 2, width, 1);
        }
    }

    private static void drawLegend(Graphics2D g, Heatmap heatmap, HeatmapLayout layout) {
        int x = layout.legendX(heatmap.columns());
        int top = layout.gridY();
        int height = layout.legendHeight(heatmap.rows());
        for (int y = 0; y < height; y++) {
            g.setColor(new Color(ColorScale.rgb(1.0 - y / (double) (height - 1))));
            g.fillRect(x, top + y, 14, 1);
        }
        g.setColor(HATCH);
        g.drawRect(x, top, 14, height);
        g.setColor(TEXT);
        g.setFont(layout.labelFont().deriveFont(11f));
        g.drawString(format(heatmap.max()), x + 18, top + 10);
        g.drawString("0", x + 18, top + height);
        int key = layout.keysTop(heatmap.rows());
        if (heatmap.hasMasked()) {
            drawMasked(g, x, key, 14);
            g.setColor(TEXT);
            g.drawString("masked", x + 18, key + 11);
            key += HeatmapLayout.KEY_STEP;
        }
        if (heatmap.hasGenerated()) {
            drawLabel(g, "generated", x, key + 11, g.getFontMetrics().stringWidth("generated"), true);
        }
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
