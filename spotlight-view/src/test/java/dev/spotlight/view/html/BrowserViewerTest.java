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
    private ViewerPage page;

    @BeforeEach
    void start() throws Exception {
        chromium = Chromium.launch(OUT.resolve("profile-" + System.nanoTime()), 1400, 1000);
        chromium.send("Runtime.enable", Map.of());
        chromium.send("Log.enable", Map.of());
        chromium.send("Page.enable", Map.of());
        chromium.send("Emulation.setDeviceMetricsOverride", Map.of("width", 1400, "height", 1000,
                "deviceScaleFactor", 1, "mobile", false));
        page = new ViewerPage(chromium);
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void everyViewWorksAndTokensShowAsText() throws Exception {
        Path file = OUT.resolve("viewer.html");
        HtmlViewer.write(SyntheticCaptures.smallBatch(PaddingSide.RIGHT), file);
        page.open(file);
        assertTrue(chromium.eval("typeof window.spotlight === 'object'").asBoolean(), "viewer script ran");

        // Markup in tokens: shown literally, nothing injected, nothing executed.
        assertTrue(chromium.eval("document.getElementById('batch-inputs').textContent.includes("
                + ViewerPage.jsString(SyntheticCaptures.XSS_SCRIPT) + ")").asBoolean(), "probe shown as text");
        assertTrue(chromium.eval("document.getElementById('batch-inputs').textContent.includes("
                + ViewerPage.jsString(SyntheticCaptures.XSS_IMG) + ")").asBoolean());
        assertEquals(0, chromium.eval("document.querySelectorAll('img, b').length").asInt());
        assertEquals(2, chromium.eval("document.scripts.length").asInt());
        chromium.screenshot(OUT.resolve("batch.png"));

        // Head view: layer and head switches redraw; hovering a token isolates its lines.
        page.clickTab("head");
        String allLayer0 = page.canvasImage("head-canvas");
        chromium.screenshot(OUT.resolve("head-all.png"));
        int allLines = page.dataset("head-canvas", "lines").asInt();
        assertTrue(allLines > 0, "lines drawn");
        page.select("head-layer", "2");
        assertEquals("2", page.dataset("head-canvas", "layer").asText());
        assertNotEquals(allLayer0, page.canvasImage("head-canvas"), "layer 2 looks different from layer 0");
        chromium.eval("document.querySelector('#head-chips .chip[data-head=\"1\"]').click()");
        assertEquals("0,2,3,4,5", page.dataset("head-canvas", "heads").asText());
        String withoutHead1 = page.canvasImage("head-canvas");

        page.hoverHeadToken("query", 2);
        assertEquals("query:2", page.dataset("head-canvas", "hover").asText());
        int catLines = page.dataset("head-canvas", "lines").asInt();
        assertTrue(catLines > 0 && catLines < allLines, "hover isolates one token's lines: " + catLines);
        String hoverCat = page.canvasImage("head-canvas");
        assertNotEquals(withoutHead1, hoverCat);
        assertTrue(page.text("head-status").contains("cat"));
        page.hoverHeadToken("query", 6);
        assertEquals("query:6", page.dataset("head-canvas", "hover").asText());
        assertNotEquals(hoverCat, page.canvasImage("head-canvas"), "another token highlights other lines");
        chromium.screenshot(OUT.resolve("head.png"));

        // Model view: a click on (layer 1, head 3) opens it in the matrix view.
        page.clickTab("model");
        chromium.screenshot(OUT.resolve("model.png"));
        JsonNode box = page.rect("model-canvas");
        double thumb = chromium.eval("(() => { const c = document.getElementById('model-canvas');"
                + " return (parseFloat(c.style.width) - 34) / 6 - 6; })()").asDouble();
        chromium.click(box.get(0).asDouble() + 34 + 3 * (thumb + 6) + thumb / 2, box.get(1).asDouble() + 22 + (thumb + 6) + thumb / 2);
        JsonNode state = chromium.eval("window.spotlight.state()");
        assertEquals("matrix", state.get("tab").asText());
        assertEquals(1, state.get("matrix").get("layer").asInt());
        assertEquals(3, state.get("matrix").get("head").asInt());

        // Matrix: the third input is padded; hovering a pad column says "masked", a real cell gives a value.
        page.select("sequence", "2");
        assertEquals("13", page.dataset("matrix-canvas", "size").asText(), "padded frame 13 × 13");
        page.hoverMatrixCell(1, 8);
        assertTrue(page.tooltip().contains("masked — key is padding"), page.tooltip());
        page.hoverMatrixCell(1, 2);
        String real = page.tooltip();
        assertTrue(real.contains("“dogs”") && real.contains("“bark”") && !real.contains("masked"), real);
        chromium.screenshot(OUT.resolve("matrix.png"));

        page.select("sequence", "0");
        page.clickTab("explain");
        assertTrue(page.text("explain-notes")
                .contains("at most 48 tokens"), "flow limit stated in the page");
        chromium.screenshot(OUT.resolve("explain.png"));

        chromium.eval("document.getElementById('theme').click()");
        assertEquals("dark", chromium.eval("document.documentElement.dataset.theme").asText());
        page.clickTab("head");
        page.hoverHeadToken("query", 2);
        chromium.screenshot(OUT.resolve("head-dark.png"));
        page.clickTab("matrix");
        chromium.screenshot(OUT.resolve("matrix-dark.png"));

        assertFalse(chromium.eval("'__xss' in window").asBoolean(), "no token markup executed");
        assertEquals("[]", chromium.errors().toString(), "console errors");
    }

    @Test
    void markedTokensAreOutlinedNamedInTheLegendAndTooltip() throws Exception {
        dev.spotlight.explain.BatchCapture batch = SyntheticCaptures.smallBatch(PaddingSide.RIGHT);
        java.util.List<java.util.List<TokenMark>> marks = new java.util.ArrayList<>();
        marks.add(java.util.List.of(new TokenMark("answer", java.util.List.of(2, 3)), new TokenMark("attended", java.util.List.of(1))));
        for (int i = 1; i < batch.sequences().size(); i++) {
            marks.add(java.util.List.of());
        }
        Path file = OUT.resolve("viewer-marked.html");
        HtmlViewer.write(batch, 48, marks, file);
        page.open(file);
        chromium.screenshot(OUT.resolve("batch-marked.png"));
        assertEquals("3", page.dataset("batch-canvas", "marked").asText());
        String legend = page.text("batch-legend");
        java.util.List<String> tokens = batch.sequences().getFirst().tokens();
        assertTrue(legend.contains("input 1 · answer: " + tokens.get(2) + " " + tokens.get(3)), legend);
        page.hoverBatchCell(0, 2);
        assertTrue(page.tooltip().contains("answer"), page.tooltip());
        assertPageClean();
    }

    @Test
    void leftPaddingPutsPadsBeforeTokens() throws Exception {
        Path file = OUT.resolve("viewer-left.html");
        HtmlViewer.write(SyntheticCaptures.smallBatch(PaddingSide.LEFT), file);
        page.open(file);
        chromium.screenshot(OUT.resolve("batch-left.png"));
        // Input 3 has 4 tokens in 13 positions: positions 0..8 are pads, position 9 is its [CLS].
        page.hoverBatchCell(2, 0);
        assertTrue(page.tooltip().contains("(padding)") && page.tooltip().contains("attention_mask = 0"), page.tooltip());
        page.hoverBatchCell(2, 9);
        assertTrue(page.tooltip().contains("[CLS]") && page.tooltip().contains("attention_mask = 1"), page.tooltip());
        assertEquals("[]", chromium.errors().toString(), "console errors");
    }

    @Test
    void decoderBatchShowsLeftPaddedPromptsGeneratedTokensAndTrailingPads() throws Exception {
        openDecoderPage();
        assertTrue(page.text("meta").contains("causal"));
        // Batch: prompts left-padded to 5, generation from column 5, the finished row padded after </s>.
        chromium.screenshot(OUT.resolve("decoder-batch.png"));
        assertEquals("5", page.dataset("batch-canvas", "generationStart").asText());
        assertTrue(page.text("batch-inputs").contains("3 prompt + 3 generated tokens"));
        page.hoverBatchCell(1, 1);
        assertTrue(page.tooltip().contains("padding before the prompt") && page.tooltip().contains("attention_mask = 0"), page.tooltip());
        page.hoverBatchCell(1, 9);
        assertTrue(page.tooltip().contains("padding after the sequence finished"), page.tooltip());
        page.hoverBatchCell(1, 6);
        assertTrue(page.tooltip().contains("generated token 2 of 3") && page.tooltip().contains(SyntheticCaptures.XSS_IMG), page.tooltip());
        page.hoverBatchCell(1, 3);
        assertTrue(page.tooltip().contains("prompt token") && page.tooltip().contains("The"), page.tooltip());
        // A generated token's cell has the generated background, a prompt token's the plain one.
        assertEquals(page.cssColour("--generated-soft"), page.batchCellColour(1, 6));
        assertEquals(page.cssColour("--cell"), page.batchCellColour(1, 3));
        assertPageClean();
    }

    @Test
    void decoderMatrixAndModelViewHatchHiddenKeysExactlyAsPadding() throws Exception {
        openDecoderPage();
        // Matrix: the finished row in its padded frame of 11; causal cells hatched exactly as padding.
        page.select("sequence", "1");
        page.clickTab("matrix");
        assertEquals("11", page.dataset("matrix-canvas", "size").asText());
        assertEquals("2", page.dataset("matrix-canvas", "promptStart").asText(), "two pads before the prompt");
        assertEquals("15", page.dataset("matrix-canvas", "hidden").asText(), "6 tokens: 15 keys above the diagonal");
        JsonNode padCell = page.cellColours(0, 0);
        JsonNode hiddenCell = page.cellColours(2, 3); // real query 0, real key 1
        assertEquals(padCell.toString(), hiddenCell.toString(), "a hidden key is hatched exactly as padding");
        assertTrue(padCell.size() >= 2, "hatching has lines: " + padCell);
        for (int[] visible : new int[][] {{7, 2}, {7, 5}, {3, 2}, {6, 4}}) {
            JsonNode colours = page.cellColours(visible[0], visible[1]);
            assertEquals(1, colours.size(), "a visible cell is one flat colour: " + colours);
            assertFalse(padCell.toString().contains(colours.get(0).asText()), "never a hatch colour: " + colours);
        }
        page.hoverMatrixCell(2, 3);
        assertTrue(page.tooltip().contains("masked — key comes after the query (causal)"), page.tooltip());
        page.hoverMatrixCell(7, 6);
        assertTrue(page.tooltip().contains("(5, generated)") && page.tooltip().contains("(4, generated)")
                && !page.tooltip().contains("masked"), page.tooltip());
        page.hoverMatrixCell(9, 2);
        assertTrue(page.tooltip().contains("masked — query is padding"), page.tooltip());
        // Labels: generated rows drawn in the generated colour, prompt rows not.
        assertTrue(page.orangeLabelPixels(5) > 10, "generated row label coloured");
        assertEquals(0, page.orangeLabelPixels(4), "prompt row label plain");
        page.hoverMatrixCell(4, 6);
        assertTrue(page.tooltip().contains("“cat” (2, prompt)") && page.tooltip().contains("(4, generated)")
                && page.tooltip().contains("masked — key comes after the query (causal)"), page.tooltip());
        chromium.screenshot(OUT.resolve("decoder-matrix.png"));
        // The picture in docs/images/decoder-view.png: the page down to the matrix.
        double bottom = chromium.eval("document.getElementById('matrix-canvas').getBoundingClientRect().bottom").asDouble();
        chromium.screenshotTop(OUT.resolve("decoder-view.png"), 1400, bottom + 28);
        page.select("matrix-source", "rollout");
        assertEquals("15", page.dataset("matrix-canvas", "hidden").asText(), "rollout of a causal model is causal too");

        // Model view: every thumbnail hatched above its diagonal, with the matrix's hatch colours.
        page.clickTab("model");
        assertEquals("true", page.dataset("model-canvas", "hatched").asText());
        double thumb = chromium.eval("(parseFloat(document.getElementById('model-canvas').style.width) - 34) / 4 - 6").asDouble();
        double cell = thumb / 6;
        for (int layer = 0; layer < 3; layer++) {
            double top = 22 + layer * (thumb + 6);
            JsonNode hidden = page.regionColours("model-canvas", 34 + 5 * cell + 2, top + 2, cell - 4); // query 0, key 5
            assertTrue(padCell.toString().contains(hidden.get(0).asText()) && hidden.size() >= 2, "hatched: " + hidden);
            JsonNode seen = page.regionColours("model-canvas", 34 + 2, top + 5 * cell + 2, cell - 4); // query 5, key 0
            assertEquals(1, seen.size(), "a visible cell is flat: " + seen);
        }
        chromium.screenshot(OUT.resolve("decoder-model.png"));

        chromium.eval("document.getElementById('theme').click()");
        page.clickTab("matrix");
        chromium.screenshot(OUT.resolve("decoder-matrix-dark.png"));
        assertPageClean();
    }

    @Test
    void decoderHeadViewConnectsAQueryOnlyToTheKeysItSees() throws Exception {
        openDecoderPage();
        // Head view: a query connects only to the keys it sees.
        page.clickTab("head");
        page.hoverHeadToken("query", 0);
        assertEquals(4, page.dataset("head-canvas", "lines").asInt(), "the first token sees only itself: one line per head");
        assertEquals(10, page.dataset("head-canvas", "unreachable").asInt(), "the 10 later keys hatched");
        page.hoverHeadToken("key", 10);
        assertTrue(page.dataset("head-canvas", "lines").asInt() <= 4, "only the last query sees the last key");
        assertEquals(10, page.dataset("head-canvas", "unreachable").asInt());
        page.hoverHeadToken("query", 7);
        chromium.screenshot(OUT.resolve("decoder-head.png"));
        assertPageClean();
    }

    @Test
    void pickingAGeneratedTokenShowsWhatTheStepThatChoseItDrewOn() throws Exception {
        openDecoderPage();
        // Explanations: pick the generated markup token; the bars show what the step that chose it drew on.
        page.clickTab("explain");
        assertEquals("5", chromium.eval("document.getElementById('explain-query').value").asText(), "first generated token");
        assertEquals("Generated tokens", chromium.eval("document.querySelector('#explain-query optgroup').label").asText());
        assertTrue(chromium.eval("Array.from(document.getElementById('explain-query').options).some(o => o.text === '8 · ' + "
                + ViewerPage.jsString(SyntheticCaptures.XSS_SCRIPT.substring(0, 29) + "…") + ")").asBoolean(), "markup token listed as text");
        page.select("explain-query", "8");
        assertEquals("7", page.dataset("explain-canvas", "row").asText(), "token 8 was chosen at position 7");
        assertEquals("8", page.dataset("explain-canvas", "keys").asText(), "from tokens 0..7");
        String status = page.text("explain-status");
        assertTrue(status.startsWith("Generated token " + SyntheticCaptures.XSS_SCRIPT + " (8) was chosen from the output at position was (7)"),
                status);
        JsonNode data = HtmlViewerTest.embeddedData(java.nio.file.Files.readString(OUT.resolve(DECODER_PAGE)));
        assertEquals(expectedPromptShare(data.get("sequences").get(0), 11, 7), page.dataset("explain-canvas", "promptShare").asDouble(), 1e-4);
        chromium.screenshot(OUT.resolve("decoder-explain.png"));
        page.select("explain-read", "query");
        assertEquals("8", page.dataset("explain-canvas", "row").asText());
        assertEquals("9", page.dataset("explain-canvas", "keys").asText());
        page.select("explain-method", "attention");
        assertEquals("attention", page.dataset("explain-canvas", "method").asText());
        assertPageClean();
    }

    @Test
    void slidingWindowHidesKeysBeyondItAndRolloutReachesOneWindowFurtherPerLayer() throws Exception {
        // A sliding window of 2 over 6 tokens: one layer hides the 15 later keys and the 10 more than one
        // back; rollout through 2 layers reaches 2 back, so it hides 15 + 6.
        open(SyntheticCaptures.slidingWindowBatch(2), "viewer-window.html");
        assertTrue(page.text("meta").contains("sliding window 2"));
        page.clickTab("matrix");
        assertEquals("25", page.dataset("matrix-canvas", "hidden").asText());
        page.hoverMatrixCell(4, 1);
        assertTrue(page.tooltip().contains("masked — key is outside the sliding window of 2"), page.tooltip());
        page.select("matrix-source", "rollout");
        page.select("matrix-layer", "1");
        assertEquals("21", page.dataset("matrix-canvas", "hidden").asText());
        page.hoverMatrixCell(5, 2);
        assertTrue(page.tooltip().contains("masked — key is outside the sliding window of 2 through 2 layers"), page.tooltip());
        page.hoverMatrixCell(5, 3);
        assertFalse(page.tooltip().contains("masked"), "rollout through 2 layers reaches 2 back: " + page.tooltip());
        chromium.screenshot(OUT.resolve("window-matrix.png"));
        assertPageClean();
    }

    private static final String DECODER_PAGE = "viewer-decoder.html";

    private void openDecoderPage() throws Exception {
        open(SyntheticCaptures.decoderBatch(), DECODER_PAGE);
    }

    private void open(dev.spotlight.explain.BatchCapture batch, String name) throws Exception {
        Path file = OUT.resolve(name);
        HtmlViewer.write(batch, file);
        page.open(file);
    }

    /** Token markup stayed text, nothing ran, and the console is clean. */
    private void assertPageClean() throws Exception {
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
        Path file = OUT.resolve("viewer-512.html");
        HtmlViewer.write(SyntheticCaptures.longInput(512, 6, 12, 32), file);
        long start = System.nanoTime();
        page.open(file);
        long loadMillis = (System.nanoTime() - start) / 1_000_000;
        double headMillis = timed("document.querySelector('[data-tab=head]').click()");
        double layerMillis = timed("(() => { const s = document.getElementById('head-layer'); s.value = '3';"
                + " s.dispatchEvent(new Event('change')); })()");
        page.hoverHeadToken("query", 5);
        assertEquals("query:5", page.dataset("head-canvas", "hover").asText());
        double hoverMillis = timed("(() => { const c = document.getElementById('head-canvas'); const r = c.getBoundingClientRect();"
                + " c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + 10, clientY: r.top + 34 + 9 * 20 + 10})); })()");
        assertEquals("query:9", page.dataset("head-canvas", "hover").asText());
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

}
