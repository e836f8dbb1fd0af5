package dev.spotlight.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spotlight.explain.PaddingSide;
import dev.spotlight.view.html.HtmlViewer;
import dev.spotlight.view.image.HeatmapImage;
import dev.spotlight.view.image.HeatmapSvg;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path dir;

    @Test
    void anOutputUnderAFileSaysWhichPathIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("notes"), "mine");
        Heatmap heatmap = Heatmaps.head(SyntheticCaptures.smallBatch(PaddingSide.RIGHT).sequences().getFirst(), 0, 0);
        Path html = file.resolve("a.html");
        ViewException e = assertThrows(ViewException.class, () -> HtmlViewer.write(SyntheticCaptures.smallBatch(PaddingSide.RIGHT), html));
        assertEquals(html + ": cannot write the HTML viewer: " + file + " is a file, not a directory", e.getMessage());
        Path png = file.resolve("sub/a.png");
        e = assertThrows(ViewException.class, () -> HeatmapImage.writePng(heatmap, png));
        assertEquals(png + ": cannot write PNG: " + file + " is a file, not a directory", e.getMessage());
        Path svg = file.resolve("a.svg");
        e = assertThrows(ViewException.class, () -> HeatmapSvg.write(heatmap, svg));
        assertEquals(svg + ": cannot write SVG: " + file + " is a file, not a directory", e.getMessage());
        assertEquals("mine", Files.readString(file));
    }
}
