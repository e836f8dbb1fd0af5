package dev.spotlight.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.view.html.Chromium;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GET / in real headless Chromium (spotlight-view's DevTools harness), used as a person would: type
 * texts (one an XSS probe), press the button, switch views, change the padding side and run again.
 * No console errors, the probe stays text, nothing but the page's own script runs.
 */
class LiveViewerBrowserTest {
    private static final Path OUT = Path.of("target", "browser");
    private static final String PROBE = "<script>window.pwned=1</script>\\\"><img src=x onerror=window.pwned=2></b>";

    @Test
    void typedTextIsShownInEveryViewAndAnXssProbeStaysText() throws Exception {
        try (SpotlightServer server = SpotlightServer.start(ServerOptions.defaults().withPort(0), List.of(Fixtures.miniLm()), List.of());
             Chromium chromium = Chromium.launch(OUT.resolve("profile-live-" + System.nanoTime()), 1400, 1000)) {
            chromium.send("Runtime.enable", Map.of());
            chromium.send("Log.enable", Map.of());
            chromium.send("Page.enable", Map.of());
            chromium.navigate("http://127.0.0.1:" + server.port() + "/");
            await(chromium, "document.getElementById('live-model').options.length === 1");
            assertEquals("all-minilm-l6-v2", chromium.eval("document.getElementById('live-model').value").asText());
            assertTrue(chromium.eval("document.querySelector('main').hidden").asBoolean(), "no views before the first answer");

            chromium.eval("document.getElementById('live-texts').value = 'The cat sat on the mat.\\n" + PROBE + "'");
            chromium.eval("document.getElementById('live-run').click()");
            await(chromium, "document.getElementById('live-form').dataset.runs === '1'");
            assertEquals("batch", chromium.eval("window.spotlight.state().tab").asText());
            assertTrue(chromium.eval("document.getElementById('batch-inputs').textContent.includes('<script>window.pwned=1</script>')")
                    .asBoolean(), "the probe is shown as text");
            assertEquals(0, chromium.eval("document.querySelectorAll('img, b, main script').length").asInt());
            assertEquals(2, chromium.eval("document.scripts.length").asInt(), "only the data block and the page's script");
            assertTrue(chromium.eval("window.pwned === undefined").asBoolean(), "nothing in the probe ran");
            assertEquals(2, chromium.eval("SL.data.sequences.length").asInt());
            chromium.screenshot(OUT.resolve("live-batch.png"));

            for (String tab : List.of("head", "model", "matrix", "explain", "batch")) {
                chromium.eval("document.querySelector('[data-tab=" + tab + "]').click()");
                assertEquals(tab, chromium.eval("window.spotlight.state().tab").asText());
            }
            chromium.eval("document.querySelector('[data-tab=head]').click()");
            assertTrue(chromium.eval("Number(document.getElementById('head-canvas').dataset.lines) > 0").asBoolean());
            chromium.screenshot(OUT.resolve("live-head.png"));

            chromium.eval("document.getElementById('live-texts').value = 'Short.\\nA second, rather longer input.'");
            chromium.eval("(() => { const s = document.getElementById('live-padding'); s.value = 'left'; })()");
            chromium.eval("document.getElementById('live-run').click()");
            await(chromium, "document.getElementById('live-form').dataset.runs === '2'");
            assertEquals("left", chromium.eval("SL.data.paddingSide").asText());
            assertEquals("head", chromium.eval("window.spotlight.state().tab").asText(), "the view stays where the person was");
            assertEquals("Short.", chromium.eval("document.getElementById('caption').textContent").asText());
            assertTrue(chromium.eval("document.getElementById('live-status').textContent").asText().contains("padding left"));

            chromium.eval("document.getElementById('live-texts').value = ''");
            chromium.eval("document.getElementById('live-run').click()");
            assertEquals("Type at least one text.", chromium.eval("document.getElementById('live-status').textContent").asText());
            assertEquals(List.of(), chromium.errors());
        }
    }

    private static void await(Chromium chromium, String condition) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!chromium.eval(condition).asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within 60 s: " + condition + "; status: "
                        + chromium.eval("document.getElementById('live-status').textContent").asText());
            }
            Thread.sleep(50);
        }
    }
}
