package dev.spotlight.view.html;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * The viewer page in {@link Chromium}, driven as a person would: tabs, selects, hovering tokens and cells
 * at the geometry each canvas publishes in its {@code data-*} attributes, and reading pixels back.
 */
final class ViewerPage {
    private final Chromium chromium;

    ViewerPage(Chromium chromium) {
        this.chromium = chromium;
    }

    void open(Path file) throws Exception {
        chromium.navigate(file.toAbsolutePath().toUri().toString());
    }

    /** Sets a {@code <select>} and fires its change event. */
    void select(String id, String value) throws Exception {
        chromium.eval("(() => { const s = document.getElementById('" + id + "'); s.value = '" + value + "';"
                + " s.dispatchEvent(new Event('change')); })()");
    }

    String text(String id) throws Exception {
        return chromium.eval("document.getElementById('" + id + "').textContent").asText();
    }

    void clickTab(String tab) throws Exception {
        chromium.eval("document.querySelector('[data-tab=" + tab + "]').click()");
        assertEquals(tab, chromium.eval("window.spotlight.state().tab").asText());
    }

    JsonNode dataset(String canvas, String key) throws Exception {
        return chromium.eval("document.getElementById('" + canvas + "').dataset." + key);
    }

    String canvasImage(String canvas) throws Exception {
        return chromium.eval("document.getElementById('" + canvas + "').toDataURL()").asText();
    }

    JsonNode rect(String id) throws Exception {
        return chromium.eval("(() => { const r = document.getElementById('" + id + "').getBoundingClientRect();"
                + " return [r.left, r.top]; })()");
    }

    void hoverHeadToken(String side, int index) throws Exception {
        chromium.eval("document.getElementById('head-canvas').scrollIntoView({block: 'start'})");
        JsonNode box = rect("head-canvas");
        double top = dataset("head-canvas", "rowTop").asDouble();
        double row = dataset("head-canvas", "rowHeight").asDouble();
        double width = chromium.eval("parseFloat(document.getElementById('head-canvas').style.width)").asDouble();
        double x = box.get(0).asDouble() + (side.equals("query") ? 12 : width - 12);
        chromium.mouseMove(x, box.get(1).asDouble() + top + index * row + row / 2);
    }

    void hoverBatchCell(int input, int position) throws Exception {
        JsonNode box = rect("batch-canvas");
        JsonNode g = chromium.eval("['gutter', 'cell', 'rowStep', 'header'].map(k => Number(document.getElementById('batch-canvas').dataset[k]))");
        double x = box.get(0).asDouble() + g.get(0).asDouble() + position * g.get(1).asDouble() + g.get(1).asDouble() / 2;
        double y = box.get(1).asDouble() + g.get(3).asDouble() + input * g.get(2).asDouble() + 8;
        chromium.mouseMove(x, y);
    }

    void hoverMatrixCell(int row, int column) throws Exception {
        JsonNode box = rect("matrix-canvas");
        double cell = dataset("matrix-canvas", "cell").asDouble();
        double left = box.get(0).asDouble() + dataset("matrix-canvas", "gridLeft").asDouble();
        double top = box.get(1).asDouble() + dataset("matrix-canvas", "gridTop").asDouble();
        chromium.mouseMove(left + column * cell + cell / 2, top + row * cell + cell / 2);
    }

    /** The distinct colours inside a matrix cell (2 px inset, clear of grid lines), as "r,g,b" sorted. */
    JsonNode cellColours(int row, int column) throws Exception {
        double cell = dataset("matrix-canvas", "cell").asDouble();
        return regionColours("matrix-canvas", dataset("matrix-canvas", "gridLeft").asDouble() + column * cell + 2,
                dataset("matrix-canvas", "gridTop").asDouble() + row * cell + 2, cell - 4);
    }

    /** The distinct colours, as sorted "r,g,b", in a square of the canvas (CSS pixels; the tests run at scale 1). */
    JsonNode regionColours(String canvas, double x, double y, double side) throws Exception {
        return chromium.eval("(() => { const c = document.getElementById('" + canvas + "');"
                + " const px = c.getContext('2d').getImageData(" + x + ", " + y + ", " + side + ", " + side + ").data;"
                + " const set = new Set(); for (let k = 0; k < px.length; k += 4) set.add(px[k] + ',' + px[k + 1] + ',' + px[k + 2]);"
                + " return Array.from(set).sort(); })()");
    }

    /** Orange pixels (the generated colour's hue: red well above green and blue) in a matrix row's label band. */
    int orangeLabelPixels(int row) throws Exception {
        return chromium.eval("(() => { const c = document.getElementById('matrix-canvas'); const d = c.dataset;"
                + " const cell = Number(d.cell), top = Number(d.gridTop) + " + row + " * cell;"
                + " const px = c.getContext('2d').getImageData(0, top, Number(d.gridLeft) - 2, cell).data; let count = 0;"
                + " for (let k = 0; k < px.length; k += 4) if (px[k] > px[k + 1] + 40 && px[k] > px[k + 2] + 60) count++;"
                + " return count; })()").asInt();
    }

    /** A CSS colour variable of the page, as "r,g,b". */
    String cssColour(String variable) throws Exception {
        return chromium.eval("(() => { const hex = getComputedStyle(document.documentElement).getPropertyValue('" + variable
                + "').trim(); return [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16)).join(','); })()").asText();
    }

    /** The colour at the left inside edge of a batch cell (clear of its text). */
    String batchCellColour(int input, int position) throws Exception {
        return chromium.eval("(() => { const c = document.getElementById('batch-canvas'); const d = c.dataset;"
                + " const x = Number(d.gutter) + " + position + " * Number(d.cell) + 4, y = Number(d.header) + " + input
                + " * Number(d.rowStep) + 13; const p = c.getContext('2d').getImageData(x, y, 1, 1).data;"
                + " return p[0] + ',' + p[1] + ',' + p[2]; })()").asText();
    }

    String tooltip() throws Exception {
        return chromium.eval("(() => { const t = document.getElementById('tooltip'); return t.hidden ? '' : t.textContent; })()").asText();
    }

    static String jsString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c == '"' || c == '\\' || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('"').toString();
    }
}
