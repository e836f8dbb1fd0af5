package dev.spotlight.view;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.explain.PaddingSide;
import dev.spotlight.view.html.HtmlViewer;
import dev.spotlight.view.image.HeatmapImage;
import dev.spotlight.view.image.HeatmapSvg;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputMarkTest {
    @TempDir
    Path dir;

    @Test
    void everyWrittenFormatCarriesTheMarkAndStaysValid() throws Exception {
        Heatmap heatmap = Heatmaps.head(SyntheticCaptures.smallBatch(PaddingSide.RIGHT).sequences().getFirst(), 0, 0);
        Path html = dir.resolve("a.html");
        HtmlViewer.write(SyntheticCaptures.smallBatch(PaddingSide.RIGHT), html);
        Path svg = dir.resolve("a.svg");
        HeatmapSvg.write(heatmap, svg);
        Path png = dir.resolve("a.png");
        HeatmapImage.writePng(heatmap, png);
        assertTrue(OutputMark.isSpotlightOutput(html));
        assertTrue(OutputMark.isSpotlightOutput(svg));
        assertTrue(OutputMark.isSpotlightOutput(png));
        assertTrue(Files.readString(svg).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + OutputMark.SVG + "\n<svg "));
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100);
    }

    @Test
    void otherFilesAreNotOurs() throws Exception {
        Path notes = dir.resolve("notes.html");
        Files.writeString(notes, "<html><head><meta charset=\"utf-8\"></head><body>mine</body></html>");
        assertFalse(OutputMark.isSpotlightOutput(notes));
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertFalse(OutputMark.isSpotlightOutput(empty));
        // the mark beyond the first 16 KiB does not count: the writers put it at the top
        Path late = dir.resolve("late.html");
        Files.writeString(late, "x".repeat(20_000) + OutputMark.HTML);
        assertFalse(OutputMark.isSpotlightOutput(late));
    }
}
