package dev.spotlight.view.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.view.ColorScale;
import dev.spotlight.view.Heatmap;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class HeatmapImageTest {
    private static final List<String> TOKENS = List.of("[CLS]", "the", "cat", "<b>&amp;\"", "mat", "[SEP]");

    static Heatmap sample() {
        int n = TOKENS.size();
        double[][] values = new double[n][n];
        boolean[][] masked = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                values[i][j] = (i == j ? 0.8 : 0.04) * (1 + j) / n;
            }
            masked[i][n - 1] = i == 0; // one masked cell: top right
        }
        return new Heatmap("layer 0 · head 0", TOKENS, TOKENS, values, masked);
    }

    @Test
    void pngDecodesWithColouredCellsAndDrawnLabels() throws Exception {
        Path file = Path.of("target", "images", "heatmap.png");
        HeatmapImage.writePng(sample(), file);
        BufferedImage image = ImageIO.read(file.toFile());
        HeatmapLayout layout = HeatmapLayout.of(sample());
        assertEquals(layout.width(), image.getWidth());
        assertEquals(layout.height(), image.getHeight());

        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        assertTrue(colours.size() > 20, "image is not uniform: " + colours.size() + " colours");

        int cell = layout.cell();
        // The largest value (bottom-right diagonal) gets the end of the scale; the masked cell is hatched grey.
        int last = TOKENS.size() - 1;
        assertEquals(ColorScale.rgb(1.0), pixel(image, layout.gridX() + last * cell + cell / 2, layout.gridY() + last * cell + cell / 2));
        Set<Integer> maskedPixels = new HashSet<>();
        for (int d = 1; d < cell - 1; d++) {
            maskedPixels.add(pixel(image, layout.gridX() + last * cell + d, layout.gridY() + cell / 2));
        }
        assertTrue(maskedPixels.contains(HeatmapImage.MASKED.getRGB() & 0xffffff), "masked fill " + maskedPixels);

        // Every row label band left of the grid, and every column band above it, holds dark text pixels;
        // the same bands are plain background in a heatmap whose labels are blank.
        for (int i = 0; i < TOKENS.size(); i++) {
            int rowDark = darkPixels(image, layout.margin(), layout.gridY() + i * cell, layout.gridX() - 2, layout.gridY() + (i + 1) * cell);
            assertTrue(rowDark > 8, "row label " + i + " drawn (" + rowDark + " dark pixels)");
            int columnDark = darkPixels(image, layout.gridX() + i * cell, layout.gridY() - layout.columnLabelHeight(),
                    layout.gridX() + (i + 1) * cell, layout.gridY() - 2);
            assertTrue(columnDark > 8, "column label " + i + " drawn (" + columnDark + " dark pixels)");
        }
        List<String> blank = TOKENS.stream().map(t -> " ").toList();
        BufferedImage unlabelled = HeatmapImage.render(new Heatmap("", blank, blank, sample().values(), null));
        HeatmapLayout plain = HeatmapLayout.of(new Heatmap("", blank, blank, sample().values(), null));
        assertEquals(0, darkPixels(unlabelled, plain.margin(), plain.gridY(), plain.gridX() - 2, plain.gridY() + TOKENS.size() * cell));
    }

    @Test
    void svgIsWellFormedAndKeepsMarkupInLabelsAsText() throws Exception {
        String svg = HeatmapSvg.render(sample());
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList texts = document.getElementsByTagName("text");
        boolean found = false;
        for (int i = 0; i < texts.getLength(); i++) {
            found |= texts.item(i).getTextContent().equals("<b>&amp;\"");
        }
        assertTrue(found, "label shown literally");
        assertEquals(0, document.getElementsByTagName("b").getLength());
        // 36 cells + background + legend bar + pattern background.
        assertEquals(36 + 3, document.getElementsByTagName("rect").getLength());
        Path file = Path.of("target", "images", "heatmap.svg");
        HeatmapSvg.write(sample(), file);
        assertEquals(svg, Files.readString(file));
    }

    @Test
    void controlCharactersInLabelsAreReplaced() throws Exception {
        List<String> labels = List.of("a\u0007b", "c");
        String svg = HeatmapSvg.render(new Heatmap("t", labels, labels, new double[][] {{1, 0}, {0, 1}}, null));
        assertTrue(svg.contains("a\uFFFDb"));
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static int pixel(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    private static int darkPixels(BufferedImage image, int x0, int y0, int x1, int y1) {
        int count = 0;
        for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
                int p = image.getRGB(x, y);
                double luminance = 0.2126 * (p >> 16 & 0xff) + 0.7152 * (p >> 8 & 0xff) + 0.0722 * (p & 0xff);
                if (luminance < 128) {
                    count++;
                }
            }
        }
        return count;
    }
}
