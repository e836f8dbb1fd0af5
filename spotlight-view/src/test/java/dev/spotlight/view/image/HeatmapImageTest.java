package dev.spotlight.view.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.view.ColorScale;
import dev.spotlight.explain.SequenceCapture;
import dev.spotlight.view.Heatmap;
import dev.spotlight.view.Heatmaps;
import dev.spotlight.view.SyntheticCaptures;
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
        // 36 cells + background + legend bar + pattern background + the "masked" legend swatch.
        assertEquals(36 + 4, document.getElementsByTagName("rect").getLength());
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

    @Test
    void decoderPngHatchesLaterKeysAndDrawsGeneratedLabelsApart() throws Exception {
        SequenceCapture decoder = SyntheticCaptures.decoderBatch().sequences().get(1); // 3 prompt + 3 generated
        Heatmap heatmap = Heatmaps.head(decoder, 1, 2);
        Path file = Path.of("target", "images", "decoder-heatmap.png");
        HeatmapImage.writePng(heatmap, file);
        BufferedImage image = ImageIO.read(file.toFile());
        HeatmapLayout layout = HeatmapLayout.of(heatmap);
        int cell = layout.cell();
        int masked = HeatmapImage.MASKED.getRGB() & 0xffffff;
        int hatch = HeatmapImage.HATCH.getRGB() & 0xffffff;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                Set<Integer> inside = new HashSet<>();
                for (int d = 2; d < cell - 2; d++) {
                    inside.add(pixel(image, layout.gridX() + j * cell + d, layout.gridY() + i * cell + cell / 2));
                }
                boolean hatched = inside.contains(masked) && inside.stream().anyMatch(p -> p != masked);
                assertEquals(j > i, hatched, "cell [" + i + "][" + j + "] hatched: " + inside);
                if (j <= i) {
                    int expected = ColorScale.rgb(heatmap.values()[i][j] / heatmap.max());
                    assertEquals(expected, pixel(image, layout.gridX() + j * cell + cell / 2, layout.gridY() + i * cell + cell / 2),
                            "visible cell [" + i + "][" + j + "] has its value's colour");
                }
            }
        }
        // Row labels: prompt rows in the text colour only, generated rows in orange.
        int orange = HeatmapImage.GENERATED.getRGB() & 0xffffff;
        for (int i = 0; i < 6; i++) {
            int generated = countPixels(image, layout.margin(), layout.gridY() + i * cell, layout.gridX() - 2,
                    layout.gridY() + (i + 1) * cell, orange);
            assertEquals(i >= 3, generated > 5, "row " + i + " label orange pixels: " + generated);
        }
        // The legend names both: a hatched swatch and the word "generated" in orange under the colour bar.
        int keys = layout.keysTop(6);
        int legendX = layout.legendX(6);
        assertTrue(pixel(image, legendX + 7, keys + 7) == masked || pixel(image, legendX + 7, keys + 7) == hatch);
        assertTrue(countPixels(image, legendX, keys + HeatmapLayout.KEY_STEP, legendX + 70, keys + 2 * HeatmapLayout.KEY_STEP,
                orange) > 10, "generated key drawn");
        assertTrue(keys + 2 * HeatmapLayout.KEY_STEP <= image.getHeight(), "legend fits in the image");

        String svg = HeatmapSvg.render(heatmap);
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList texts = document.getElementsByTagName("text");
        int orangeLabels = 0;
        for (int t = 0; t < texts.getLength(); t++) {
            if ("#c2410c".equals(((org.w3c.dom.Element) texts.item(t)).getAttribute("fill"))) {
                orangeLabels++;
            }
        }
        assertEquals(3 + 3 + 1, orangeLabels, "three generated rows, three columns and the legend key");
        assertEquals(15 + 1, svg.split("fill=\"url\\(#masked\\)\"", -1).length - 1, "15 masked cells and the legend swatch");
    }

    private static int countPixels(BufferedImage image, int x0, int y0, int x1, int y1, int rgb) {
        int count = 0;
        for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
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
