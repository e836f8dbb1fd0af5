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
    void decoderPageTellsGeneratedTokensApartAndHatchesTheCausalMask() throws Exception {
        Path page = OUT.resolve("viewer-decoder.html");
        HtmlViewer.write(SyntheticCaptures.decoderBatch(), page);
        chromium.navigate(page.toAbsolutePath().toUri().toString());
        assertTrue(chromium.eval("document.getElementById('meta').textContent").asText().contains("causal"));

        // Batch: prompts left-padded to 5, generation from column 5, the finished row padded after </s>.
        chromium.screenshot(OUT.resolve("decoder-batch.png"));
        assertEquals("5", dataset("batch-canvas", "generationStart").asText());
        assertTrue(chromium.eval("document.getElementById('batch-inputs').textContent").asText()
                .contains("3 prompt + 3 generated tokens"));
        hoverBatchCell(1, 1);
        assertTrue(tooltip().contains("padding before the prompt") && tooltip().contains("attention_mask = 0"), tooltip());
        hoverBatchCell(1, 9);
        assertTrue(tooltip().contains("padding after the sequence finished"), tooltip());
        hoverBatchCell(1, 6);
        assertTrue(tooltip().contains("generated token 2 of 3") && tooltip().contains(SyntheticCaptures.XSS_IMG), tooltip());
        hoverBatchCell(1, 3);
        assertTrue(tooltip().contains("prompt token") && tooltip().contains("The"), tooltip());
        // A generated token's cell has the generated background, a prompt token's the plain one.
        assertEquals(cssColour("--generated-soft"), batchCellColour(1, 6));
        assertEquals(cssColour("--cell"), batchCellColour(1, 3));

        // Matrix: the finished row in its padded frame of 11; causal cells hatched exactly as padding.
        chromium.eval("(() => { const s = document.getElementById('sequence'); s.value = '1';"
                + " s.dispatchEvent(new Event('change')); })()");
        clickTab("matrix");
        assertEquals("11", dataset("matrix-canvas", "size").asText());
        assertEquals("2", dataset("matrix-canvas", "promptStart").asText(), "two pads before the prompt");
        assertEquals("15", dataset("matrix-canvas", "hidden").asText(), "6 tokens: 15 keys above the diagonal");
        JsonNode padCell = cellColours(0, 0);
        JsonNode hiddenCell = cellColours(2, 3); // real query 0, real key 1
        assertEquals(padCell.toString(), hiddenCell.toString(), "a hidden key is hatched exactly as padding");
        assertTrue(padCell.size() >= 2, "hatching has lines: " + padCell);
        for (int[] visible : new int[][] {{7, 2}, {7, 5}, {3, 2}, {6, 4}}) {
            JsonNode colours = cellColours(visible[0], visible[1]);
            assertEquals(1, colours.size(), "a visible cell is one flat colour: " + colours);
            assertFalse(padCell.toString().contains(colours.get(0).asText()), "never a hatch colour: " + colours);
        }
        hoverMatrixCell(2, 3);
        assertTrue(tooltip().contains("masked — key comes after the query (causal)"), tooltip());
        hoverMatrixCell(7, 6);
        assertTrue(tooltip().contains("(5, generated)") && tooltip().contains("(4, generated)")
                && !tooltip().contains("masked"), tooltip());
        hoverMatrixCell(9, 2);
        assertTrue(tooltip().contains("masked — query is padding"), tooltip());
        // Labels: generated rows drawn in the generated colour, prompt rows not.
        assertTrue(orangeLabelPixels(5) > 10, "generated row label coloured");
        assertEquals(0, orangeLabelPixels(4), "prompt row label plain");
        hoverMatrixCell(4, 6);
        assertTrue(tooltip().contains("“cat” (2, prompt)") && tooltip().contains("(4, generated)")
                && tooltip().contains("masked — key comes after the query (causal)"), tooltip());
        chromium.screenshot(OUT.resolve("decoder-matrix.png"));
        // The picture in docs/images/decoder-view.png: the page down to the matrix.
        double bottom = chromium.eval("document.getElementById('matrix-canvas').getBoundingClientRect().bottom").asDouble();
        chromium.screenshotTop(OUT.resolve("decoder-view.png"), 1400, bottom + 28);
        chromium.eval("(() => { const s = document.getElementById('matrix-source'); s.value = 'rollout';"
                + " s.dispatchEvent(new Event('change')); })()");
        assertEquals("15", dataset("matrix-canvas", "hidden").asText(), "rollout of a causal model is causal too");

        // Model view: every thumbnail hatched above its diagonal.
        clickTab("model");
        assertEquals("true", dataset("model-canvas", "hatched").asText());
        chromium.screenshot(OUT.resolve("decoder-model.png"));

        // Head view: a query connects only to the keys it sees.
        chromium.eval("(() => { const s = document.getElementById('sequence'); s.value = '0';"
                + " s.dispatchEvent(new Event('change')); })()");
        clickTab("head");
        hoverHeadToken("query", 0);
        assertEquals(4, dataset("head-canvas", "lines").asInt(), "the first token sees only itself: one line per head");
        assertEquals(10, dataset("head-canvas", "unreachable").asInt(), "the 10 later keys hatched");
        hoverHeadToken("key", 10);
        assertTrue(dataset("head-canvas", "lines").asInt() <= 4, "only the last query sees the last key");
        assertEquals(10, dataset("head-canvas", "unreachable").asInt());
        hoverHeadToken("query", 7);
        chromium.screenshot(OUT.resolve("decoder-head.png"));

        // Explanations: pick the generated markup token; the bars show what the step that chose it drew on.
        clickTab("explain");
        assertEquals("5", chromium.eval("document.getElementById('explain-query').value").asText(), "first generated token");
        assertEquals("Generated tokens", chromium.eval("document.querySelector('#explain-query optgroup').label").asText());
        assertTrue(chromium.eval("Array.from(document.getElementById('explain-query').options).some(o => o.text === '8 · ' + "
                + jsString(SyntheticCaptures.XSS_SCRIPT.substring(0, 29) + "…") + ")").asBoolean(), "markup token listed as text");
        chromium.eval("(() => { const s = document.getElementById('explain-query'); s.value = '8';"
                + " s.dispatchEvent(new Event('change')); })()");
        assertEquals("7", dataset("explain-canvas", "row").asText(), "token 8 was chosen at position 7");
        assertEquals("8", dataset("explain-canvas", "keys").asText(), "from tokens 0..7");
        String status = chromium.eval("document.getElementById('explain-status').textContent").asText();
        assertTrue(status.startsWith("Generated token " + SyntheticCaptures.XSS_SCRIPT + " (8) was chosen from the output at position was (7)"),
                status);
        JsonNode data = HtmlViewerTest.embeddedData(java.nio.file.Files.readString(page));
        assertEquals(expectedPromptShare(data.get("sequences").get(0), 11, 7), dataset("explain-canvas", "promptShare").asDouble(), 1e-4);
        chromium.screenshot(OUT.resolve("decoder-explain.png"));
        chromium.eval("(() => { const s = document.getElementById('explain-read'); s.value = 'query';"
                + " s.dispatchEvent(new Event('change')); })()");
        assertEquals("8", dataset("explain-canvas", "row").asText());
        assertEquals("9", dataset("explain-canvas", "keys").asText());
        chromium.eval("(() => { const s = document.getElementById('explain-method'); s.value = 'attention';"
                + " s.dispatchEvent(new Event('change')); })()");
        assertEquals("attention", dataset("explain-canvas", "method").asText());

        chromium.eval("document.getElementById('theme').click()");
        clickTab("matrix");
        chromium.screenshot(OUT.resolve("decoder-matrix-dark.png"));

        assertEquals(0, chromium.eval("document.querySelectorAll('img, b').length").asInt());
        assertEquals(2, chromium.eval("document.scripts.length").asInt());
        assertFalse(chromium.eval("'__xss' in window").asBoolean(), "no token markup executed");
        assertEquals("[]", chromium.errors().toString(), "console errors");
    }

    /** Rollout through the last layer, row {@code row}: the share of its total on the 5 prompt tokens. */
    private static double expectedPromptShare(JsonNode sequence, int n, int row) {
        double[] rollout = HtmlViewerTest.decode(sequence.get("rollout"));
        int layers = rollout.length / (n * n);
        double prompt = 0, total = 0;
        for (int j = 0; j <= row; j++) {
            double v = rollout[((layers - 1) * n + row) * n + j];
            total += v;
            prompt += j < sequence.get("promptTokens").asInt() ? v : 0;
        }
        return prompt / total;
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

    /** The distinct colours inside a matrix cell (2 px inset, clear of grid lines), as "r,g,b" sorted. */
    private JsonNode cellColours(int row, int column) throws Exception {
        return chromium.eval("(() => { const c = document.getElementById('matrix-canvas'); const d = c.dataset;"
                + " const cell = Number(d.cell), x0 = Number(d.gridLeft) + " + column + " * cell, y0 = Number(d.gridTop) + " + row + " * cell;"
                + " const px = c.getContext('2d').getImageData(x0 + 2, y0 + 2, cell - 4, cell - 4).data; const set = new Set();"
                + " for (let k = 0; k < px.length; k += 4) set.add(px[k] + ',' + px[k + 1] + ',' + px[k + 2]);"
                + " return Array.from(set).sort(); })()");
    }

    /** Orange pixels (the generated colour's hue: red well above green and blue) in a matrix row's label band. */
    private int orangeLabelPixels(int row) throws Exception {
        return chromium.eval("(() => { const c = document.getElementById('matrix-canvas'); const d = c.dataset;"
                + " const cell = Number(d.cell), top = Number(d.gridTop) + " + row + " * cell;"
                + " const px = c.getContext('2d').getImageData(0, top, Number(d.gridLeft) - 2, cell).data; let count = 0;"
                + " for (let k = 0; k < px.length; k += 4) if (px[k] > px[k + 1] + 40 && px[k] > px[k + 2] + 60) count++;"
                + " return count; })()").asInt();
    }

    /** A CSS colour variable of the page, as "r,g,b". */
    private String cssColour(String variable) throws Exception {
        return chromium.eval("(() => { const hex = getComputedStyle(document.documentElement).getPropertyValue('" + variable
                + "').trim(); return [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16)).join(','); })()").asText();
    }

    /** The colour at the left inside edge of a batch cell (clear of its text). */
    private String batchCellColour(int input, int position) throws Exception {
        return chromium.eval("(() => { const c = document.getElementById('batch-canvas'); const d = c.dataset;"
                + " const x = Number(d.gutter) + " + position + " * Number(d.cell) + 4, y = Number(d.header) + " + input
                + " * Number(d.rowStep) + 13; const p = c.getContext('2d').getImageData(x, y, 1, 1).data;"
                + " return p[0] + ',' + p[1] + ',' + p[2]; })()").asText();
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
