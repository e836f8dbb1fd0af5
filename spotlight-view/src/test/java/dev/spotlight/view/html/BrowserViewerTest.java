package dev.spotlight.view.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.view.SyntheticCaptures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opens the viewer in real headless Chromium and uses it like a person would: switch tabs, layer and
 * heads, hover tokens and cells, click a thumbnail. Screenshots go to {@code target/browser/} so a
 * build keeps a picture of every view.
 */
class BrowserViewerTest {
    private static final Path OUT = Path.of("target", "browser");
    private Chromium chromium;

    @BeforeEach
    void start() throws Exception {
        chromium = Chromium.launch(OUT.resolve("profile-" + System.nanoTime()), 1400, 1000);
        chromium.send("Runtime.enable", Map.of());
        chromium.send("Log.enable", Map.of());
        chromium.send("Page.enable", Map.of());
        chromium.send("Emulation.setDeviceMetricsOverride", Map.of("width", 1400, "height", 1000,
                "deviceScaleFactor", 1, "mobile", false));
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void everyViewWorksAndTokensShowAsText() throws Exception {
        Path page = OUT.resolve("viewer.html");
        HtmlViewer.write(SyntheticCaptures.smallBatch(PaddingSide.RIGHT), page);
        chromium.navigate(page.toAbsolutePath().toUri().toString());
        assertTrue(chromium.eval("typeof window.spotlight === 'object'").asBoolean(), "viewer script ran");

        // Markup in tokens: shown literally, nothing injected, nothing executed.
        assertTrue(chromium.eval("document.getElementById('batch-inputs').textContent.includes("
                + jsString(SyntheticCaptures.XSS_SCRIPT) + ")").asBoolean(), "probe shown as text");
        assertTrue(chromium.eval("document.getElementById('batch-inputs').textContent.includes("
                + jsString(SyntheticCaptures.XSS_IMG) + ")").asBoolean());
        assertEquals(0, chromium.eval("document.querySelectorAll('img, b').length").asInt());
        assertEquals(2, chromium.eval("document.scripts.length").asInt());
        chromium.screenshot(OUT.resolve("batch.png"));

        // Head view: layer and head switches redraw; hovering a token isolates its lines.
        clickTab("head");
        String allLayer0 = canvasImage("head-canvas");
        chromium.screenshot(OUT.resolve("head-all.png"));
        int allLines = dataset("head-canvas", "lines").asInt();
        assertTrue(allLines > 0, "lines drawn");
        chromium.eval("(() => { const s = document.getElementById('head-layer'); s.value = '2';"
                + " s.dispatchEvent(new Event('change')); })()");
        assertEquals("2", dataset("head-canvas", "layer").asText());
        assertNotEquals(allLayer0, canvasImage("head-canvas"), "layer 2 looks different from layer 0");
        chromium.eval("document.querySelector('#head-chips .chip[data-head=\"1\"]').click()");
        assertEquals("0,2,3,4,5", dataset("head-canvas", "heads").asText());
        String withoutHead1 = canvasImage("head-canvas");

        hoverHeadToken("query", 2);
        assertEquals("query:2", dataset("head-canvas", "hover").asText());
        int catLines = dataset("head-canvas", "lines").asInt();
        assertTrue(catLines > 0 && catLines < allLines, "hover isolates one token's lines: " + catLines);
        String hoverCat = canvasImage("head-canvas");
        assertNotEquals(withoutHead1, hoverCat);
        assertTrue(chromium.eval("document.getElementById('head-status').textContent").asText().contains("cat"));
        hoverHeadToken("query", 6);
        assertEquals("query:6", dataset("head-canvas", "hover").asText());
        assertNotEquals(hoverCat, canvasImage("head-canvas"), "another token highlights other lines");
        chromium.screenshot(OUT.resolve("head.png"));

        // Model view: a click on (layer 1, head 3) opens it in the matrix view.
        clickTab("model");
        chromium.screenshot(OUT.resolve("model.png"));
        JsonNode box = rect("model-canvas");
        double thumb = chromium.eval("(() => { const c = document.getElementById('model-canvas');"
                + " return (parseFloat(c.style.width) - 34) / 6 - 6; })()").asDouble();
        chromium.click(box.get(0).asDouble() + 34 + 3 * (thumb + 6) + thumb / 2, box.get(1).asDouble() + 22 + (thumb + 6) + thumb / 2);
        JsonNode state = chromium.eval("window.spotlight.state()");
        assertEquals("matrix", state.get("tab").asText());
        assertEquals(1, state.get("matrix").get("layer").asInt());
        assertEquals(3, state.get("matrix").get("head").asInt());

        // Matrix: the third input is padded; hovering a pad column says "masked", a real cell gives a value.
        chromium.eval("(() => { const s = document.getElementById('sequence'); s.value = '2';"
                + " s.dispatchEvent(new Event('change')); })()");
        assertEquals("13", dataset("matrix-canvas", "size").asText(), "padded frame 13 × 13");
        hoverMatrixCell(1, 8);
        assertTrue(tooltip().contains("masked — key is padding"), tooltip());
        hoverMatrixCell(1, 2);
        String real = tooltip();
        assertTrue(real.contains("“dogs”") && real.contains("“bark”") && !real.contains("masked"), real);
        chromium.screenshot(OUT.resolve("matrix.png"));

        chromium.eval("(() => { const s = document.getElementById('sequence'); s.value = '0';"
                + " s.dispatchEvent(new Event('change')); })()");
        clickTab("explain");
        assertTrue(chromium.eval("document.getElementById('explain-notes').textContent").asText()
                .contains("at most 48 tokens"), "flow limit stated in the page");
        chromium.screenshot(OUT.resolve("explain.png"));

        chromium.eval("document.getElementById('theme').click()");
        assertEquals("dark", chromium.eval("document.documentElement.dataset.theme").asText());
        clickTab("head");
        hoverHeadToken("query", 2);
        chromium.screenshot(OUT.resolve("head-dark.png"));
        clickTab("matrix");
        chromium.screenshot(OUT.resolve("matrix-dark.png"));

        assertFalse(chromium.eval("'__xss' in window").asBoolean(), "no token markup executed");
        assertEquals("[]", chromium.errors().toString(), "console errors");
    }

    @Test
    void leftPaddingPutsPadsBeforeTokens() throws Exception {
        Path page = OUT.resolve("viewer-left.html");
        HtmlViewer.write(SyntheticCaptures.smallBatch(PaddingSide.LEFT), page);
        chromium.navigate(page.toAbsolutePath().toUri().toString());
        chromium.screenshot(OUT.resolve("batch-left.png"));
        // Input 3 has 4 tokens in 13 positions: positions 0..8 are pads, position 9 is its [CLS].
        hoverBatchCell(2, 0);
        assertTrue(tooltip().contains("(padding)") && tooltip().contains("attention_mask = 0"), tooltip());
        hoverBatchCell(2, 9);
        assertTrue(tooltip().contains("[CLS]") && tooltip().contains("attention_mask = 1"), tooltip());
        assertEquals("[]", chromium.errors().toString(), "console errors");
    }

    @Test
    void fiveHundredTwelveTokensStayResponsive() throws Exception {
        Path page = OUT.resolve("viewer-512.html");
        HtmlViewer.write(SyntheticCaptures.longInput(512, 6, 12, 32), page);
        long start = System.nanoTime();
        chromium.navigate(page.toAbsolutePath().toUri().toString());
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        double headMillis = timed("document.querySelector('[data-tab=head]').click()");
        double layerMillis = timed("(() => { const s = document.getElementById('head-layer'); s.value = '3';"
                + " s.dispatchEvent(new Event('change')); })()");
        hoverHeadToken("query", 5);
        assertEquals("query:5", dataset("head-canvas", "hover").asText());
        double hoverMillis = timed("(() => { const c = document.getElementById('head-canvas'); const r = c.getBoundingClientRect();"
                + " c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + 10, clientY: r.top + 34 + 9 * 20 + 10})); })()");
        assertEquals("query:9", dataset("head-canvas", "hover").asText());
        double modelMillis = timed("document.querySelector('[data-tab=model]').click()");
        chromium.screenshot(OUT.resolve("model-512.png"));
        double matrixMillis = timed("document.querySelector('[data-tab=matrix]').click()");
        chromium.screenshot(OUT.resolve("matrix-512.png"));
        System.out.printf("512 tokens, 6x12 heads: load %d ms, head view %.0f ms, layer switch %.0f ms, hover %.0f ms,"
                + " model view %.0f ms, matrix %.0f ms%n", loadMillis, headMillis, layerMillis, hoverMillis, modelMillis, matrixMillis);
        // Generous bounds (the build machine is shared); a DOM-per-line design would take many seconds.
        assertTrue(layerMillis < 3000, "layer switch took " + layerMillis + " ms");
        assertTrue(hoverMillis < 1000, "hover took " + hoverMillis + " ms");
        assertTrue(modelMillis < 5000, "model view took " + modelMillis + " ms");
        assertTrue(matrixMillis < 3000, "matrix took " + matrixMillis + " ms");
        assertTrue(chromium.eval("document.querySelectorAll('*').length").asInt() < 400, "views are canvas, not DOM nodes");
        assertEquals("[]", chromium.errors().toString(), "console errors");
    }

    private double timed(String action) throws Exception {
        return chromium.eval("(() => { const t = performance.now(); " + action + "; return performance.now() - t; })()").asDouble();
    }

    private void clickTab(String tab) throws Exception {
        chromium.eval("document.querySelector('[data-tab=" + tab + "]').click()");
        assertEquals(tab, chromium.eval("window.spotlight.state().tab").asText());
    }

    private JsonNode dataset(String canvas, String key) throws Exception {
        return chromium.eval("document.getElementById('" + canvas + "').dataset." + key);
    }

    private String canvasImage(String canvas) throws Exception {
        return chromium.eval("document.getElementById('" + canvas + "').toDataURL()").asText();
    }

    private JsonNode rect(String id) throws Exception {
        return chromium.eval("(() => { const r = document.getElementById('" + id + "').getBoundingClientRect();"
                + " return [r.left, r.top]; })()");
    }

    private void hoverHeadToken(String side, int index) throws Exception {
        chromium.eval("document.getElementById('head-canvas').scrollIntoView({block: 'start'})");
        JsonNode box = rect("head-canvas");
        double top = dataset("head-canvas", "rowTop").asDouble();
        double row = dataset("head-canvas", "rowHeight").asDouble();
        double width = chromium.eval("parseFloat(document.getElementById('head-canvas').style.width)").asDouble();
        double x = box.get(0).asDouble() + (side.equals("query") ? 12 : width - 12);
        chromium.mouseMove(x, box.get(1).asDouble() + top + index * row + row / 2);
    }

    private void hoverBatchCell(int input, int position) throws Exception {
        JsonNode box = rect("batch-canvas");
        JsonNode g = chromium.eval("['gutter', 'cell', 'rowStep', 'header'].map(k => Number(document.getElementById('batch-canvas').dataset[k]))");
        double x = box.get(0).asDouble() + g.get(0).asDouble() + position * g.get(1).asDouble() + g.get(1).asDouble() / 2;
        double y = box.get(1).asDouble() + g.get(3).asDouble() + input * g.get(2).asDouble() + 8;
        chromium.mouseMove(x, y);
    }

    private void hoverMatrixCell(int row, int column) throws Exception {
        JsonNode box = rect("matrix-canvas");
        double cell = dataset("matrix-canvas", "cell").asDouble();
        double left = box.get(0).asDouble() + dataset("matrix-canvas", "gridLeft").asDouble();
        double top = box.get(1).asDouble() + dataset("matrix-canvas", "gridTop").asDouble();
        chromium.mouseMove(left + column * cell + cell / 2, top + row * cell + cell / 2);
    }

    private String tooltip() throws Exception {
        return chromium.eval("(() => { const t = document.getElementById('tooltip'); return t.hidden ? '' : t.textContent; })()").asText();
    }

    private static String jsString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c == '"' || c == '\\' || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('"').toString();
    }
}
