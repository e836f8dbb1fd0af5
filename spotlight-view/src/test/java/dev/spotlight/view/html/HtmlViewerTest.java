package dev.spotlight.view.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.explain.AttentionPattern;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.explain.HeadStatistics;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.explain.Rollout;
import dev.spotlight.explain.SequenceCapture;
import dev.spotlight.view.SyntheticCaptures;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlViewerTest {
    private static final Pattern DATA = Pattern.compile(
            "<script type=\"application/json\" id=\"spotlight-data\">(.*?)</script>", Pattern.DOTALL);

    @Test
    void tokenMarkupNeverAppearsRawInThePage() {
        String html = HtmlViewer.render(SyntheticCaptures.smallBatch(PaddingSide.RIGHT));
        assertFalse(html.contains(SyntheticCaptures.XSS_SCRIPT));
        assertFalse(html.contains("<img"));
        assertFalse(html.contains("<b>bold"));
        assertFalse(html.contains("\u2028"), "raw U+2028 must be escaped");
        // Exactly our two script elements open and close: the data block and the code.
        assertEquals(2, count(html, "<script"));
        assertEquals(2, count(html, "</script"));
    }

    @Test
    void embeddedDataParsesBackToTheCapture() throws Exception {
        BatchCapture batch = SyntheticCaptures.smallBatch(PaddingSide.LEFT);
        JsonNode data = embeddedData(HtmlViewer.render(batch));
        assertEquals(ViewerData.FORMAT, data.get("format").asText());
        assertEquals("left", data.get("paddingSide").asText());
        assertEquals(4, data.get("layers").asInt());
        assertEquals(6, data.get("heads").asInt());
        JsonNode xss = data.get("sequences").get(1);
        assertEquals(SyntheticCaptures.XSS_SCRIPT, xss.get("tokens").get(1).asText());
        assertEquals(SyntheticCaptures.XSS_IMG, xss.get("tokens").get(2).asText());
        assertEquals("line\u2028sep", xss.get("tokens").get(4).asText());

        assertEquals(0, data.get("sequences").get(2).get("attentionMask").get(0).asInt(), "left padding");
        SequenceCapture first = batch.sequences().getFirst();
        JsonNode seq = data.get("sequences").get(0);
        double[] attention = decode(seq.get("attention"));
        int n = first.tokens().size();
        double maxError = 0;
        for (int l = 0; l < 4; l++) {
            for (int h = 0; h < 6; h++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double stored = attention[((l * 6 + h) * n + i) * n + j];
                        maxError = Math.max(maxError, Math.abs(stored - first.attention()[l][h][i][j]));
                    }
                }
            }
        }
        assertTrue(maxError <= 1.0 / 131070 + 1e-7, "u16 quantisation error " + maxError);
        double[] rollout = decode(seq.get("rollout"));
        double[][][] expected = Rollout.of(first.attention());
        assertEquals(expected[3][2][5], rollout[(3 * n + 2) * n + 5], 1e-5);
        assertTrue(seq.get("flow").isObject(), "13 tokens is under the flow limit");
        assertEquals(4, seq.get("headStats").get("entropy").size());
    }

    @Test
    void marksOfATaskAnswerAreWrittenPerSequence() throws Exception {
        BatchCapture batch = SyntheticCaptures.smallBatch(PaddingSide.RIGHT);
        java.util.List<java.util.List<TokenMark>> marks = new java.util.ArrayList<>();
        marks.add(java.util.List.of(new TokenMark("answer", java.util.List.of(2, 3)), new TokenMark("attended", java.util.List.of(1))));
        for (int i = 1; i < batch.sequences().size(); i++) {
            marks.add(java.util.List.of());
        }
        JsonNode data = embeddedData(HtmlViewer.render(batch, 48, marks));
        JsonNode first = data.get("sequences").get(0).get("marks");
        assertEquals("answer", first.get(0).get("label").asText());
        assertEquals("[2,3]", first.get(0).get("tokens").toString());
        assertEquals("[1]", first.get(1).get("tokens").toString());
        assertEquals(0, data.get("sequences").get(1).get("marks").size());
        assertEquals(0, embeddedData(HtmlViewer.render(batch)).get("sequences").get(0).get("marks").size());
        marks.set(0, java.util.List.of(new TokenMark("answer", java.util.List.of(99))));
        dev.spotlight.view.ViewException e = org.junit.jupiter.api.Assertions.assertThrows(dev.spotlight.view.ViewException.class,
                () -> HtmlViewer.render(batch, 48, marks));
        assertEquals("viewer mark \"answer\" of sequence 0: token 99 is outside its " + batch.sequences().getFirst().tokens().size()
                + " tokens", e.getMessage());
    }

    @Test
    void decoderDataCarriesThePatternAndThePromptLength() throws Exception {
        BatchCapture batch = SyntheticCaptures.decoderBatch();
        JsonNode data = embeddedData(HtmlViewer.render(batch));
        assertEquals("spotlight-attention/2", data.get("format").asText());
        assertEquals("left", data.get("paddingSide").asText());
        assertEquals(11, data.get("paddedLength").asInt());
        JsonNode finished = data.get("sequences").get(1);
        assertEquals("causal", finished.get("pattern").get("kind").asText());
        assertTrue(finished.get("pattern").get("window").isNull());
        assertEquals(3, finished.get("promptTokens").asInt());
        assertEquals("[0,0,1,1,1,1,1,1,0,0,0]", finished.get("attentionMask").toString(), "pads on both sides");
        assertEquals(SyntheticCaptures.XSS_IMG, finished.get("tokens").get(4).asText());
        assertEquals(5, data.get("sequences").get(0).get("promptTokens").asInt());

        // Hidden keys stay exactly 0 through the u16 packing, in attention and in rollout.
        int n = 6;
        double[] attention = decode(finished.get("attention"));
        double[] rollout = decode(finished.get("rollout"));
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                for (int lh = 0; lh < 3 * 4; lh++) {
                    assertEquals(0.0, attention[(lh * n + i) * n + j], 0.0);
                }
                assertEquals(0.0, rollout[(2 * n + i) * n + j], 0.0);
            }
        }
        SequenceCapture capture = batch.sequences().get(1);
        HeadStatistics stats = HeadStatistics.of(capture.attention(), capture.special(), AttentionPattern.causal());
        assertEquals(stats.cls()[1][2], finished.get("headStats").get("cls").get(1).get(2).asDouble(), 5e-5,
                "head statistics computed under the causal pattern");
    }

    @Test
    void encoderDataIsBidirectionalAndAllPrompt() throws Exception {
        JsonNode seq = embeddedData(HtmlViewer.render(SyntheticCaptures.smallBatch(PaddingSide.RIGHT))).get("sequences").get(2);
        assertEquals("{\"kind\":\"bidirectional\",\"window\":null}", seq.get("pattern").toString());
        assertEquals(4, seq.get("promptTokens").asInt());
    }

    @Test
    void slidingWindowDataNamesItsWindow() throws Exception {
        AttentionPattern window = AttentionPattern.slidingWindow(2);
        float[][][][] attention = {{{{1, 0, 0}, {.5f, .5f, 0}, {0, .5f, .5f}}}};
        BatchCapture batch = new BatchCapture("m", PaddingSide.LEFT, java.util.List.of(new SequenceCapture("",
                java.util.List.of("a", "b", "c"), new boolean[3], new int[] {1, 1, 1}, attention, null, window, 2)));
        JsonNode seq = embeddedData(HtmlViewer.render(batch)).get("sequences").get(0);
        assertEquals("{\"kind\":\"sliding_window\",\"window\":2}", seq.get("pattern").toString());
        assertEquals(2, seq.get("promptTokens").asInt());
    }

    @Test
    void flowIsLeftOutAboveTheLimit() throws Exception {
        JsonNode data = embeddedData(HtmlViewer.render(SyntheticCaptures.smallBatch(PaddingSide.RIGHT), 5));
        assertTrue(data.get("sequences").get(0).get("flow").isNull());
        assertTrue(data.get("sequences").get(2).get("flow").isObject());
        assertEquals(5, data.get("flowMaxTokens").asInt());
    }

    @Test
    void pageLoadsNothingFromTheNetwork() {
        String html = HtmlViewer.render(SyntheticCaptures.smallBatch(PaddingSide.RIGHT));
        String code = html.replaceAll("(?s)<script type=\"application/json\".*?</script>", "");
        assertFalse(Pattern.compile("\\b(src|href)\\s*=\\s*[\"']", Pattern.CASE_INSENSITIVE).matcher(code).find());
        assertFalse(code.contains("http://") || code.contains("https://") || code.contains("@import") || code.contains("url("));
        assertTrue(code.contains("default-src 'none'"), "a CSP forbids any fetch");
    }

    @Test
    void captureTooLargeForAPageIsRefusedBeforeAllocating() {
        // 16 layers × 16 heads × 600² = 92 M values: more than a page can hold.
        float[][][][] huge = new float[16][16][600][];
        float[] row = new float[600];
        row[0] = 1;
        for (float[][][] layer : huge) {
            for (float[][] head : layer) {
                java.util.Arrays.fill(head, row);
            }
        }
        java.util.List<String> tokens = java.util.Collections.nCopies(600, "x");
        BatchCapture batch = new BatchCapture("m", PaddingSide.RIGHT, java.util.List.of(
                SequenceCapture.unpadded("", tokens, new boolean[600], huge, null)));
        dev.spotlight.view.ViewException error = org.junit.jupiter.api.Assertions.assertThrows(
                dev.spotlight.view.ViewException.class, () -> HtmlViewer.render(batch, 0));
        assertTrue(error.getMessage().contains("[16, 16, 600, 600] has 92160000 values"), error.getMessage());
    }

    static JsonNode embeddedData(String html) throws Exception {
        Matcher m = DATA.matcher(html);
        assertTrue(m.find(), "data block present");
        return new ObjectMapper().readTree(m.group(1));
    }

    static double[] decode(JsonNode packed) {
        byte[] bytes = Base64.getDecoder().decode(packed.get("u16").asText());
        double scale = packed.get("scale").asDouble();
        double[] out = new double[bytes.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] & 0xff) << 8) / 65535.0 * scale;
        }
        return out;
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
