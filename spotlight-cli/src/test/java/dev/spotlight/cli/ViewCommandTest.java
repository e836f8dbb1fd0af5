package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code spotlight view} on the default model end to end. */
class ViewCommandTest {
    private static final Pattern DATA = Pattern.compile(
            "<script type=\"application/json\" id=\"spotlight-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SpotlightCommand.commandLine();
        // Buffered, flushed by println/printf only, like picocli's writer over System.out: print must flush.
        cli.setOut(new PrintWriter(new java.io.BufferedWriter(out), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void htmlHoldsTheModelsTokensAndAttentionForAPaddedBatch() throws Exception {
        Path html = dir.resolve("attention.html");
        assertEquals(0, run("view", "The cat sat on the mat because it was tired.", "<script>alert(1)</script>",
                "Hi.", "--padding-side", "left", "--out", html.toString()), err.toString());
        Matcher m = DATA.matcher(Files.readString(html));
        assertTrue(m.find());
        JsonNode data = new ObjectMapper().readTree(m.group(1));
        List<String> expected;
        int layers;
        int heads;
        try (EncoderModel model = Spotlight.load()) {
            var encoding = model.tokenizer().encodeBatch(List.of("The cat sat on the mat because it was tired."),
                    model.options()).getFirst();
            expected = new java.util.ArrayList<>();
            for (int p = 0; p < encoding.length(); p++) {
                if (encoding.attentionMask()[p] == 1) {
                    expected.add(encoding.token(p));
                }
            }
            layers = model.config().numHiddenLayers();
            heads = model.config().numAttentionHeads();
        }
        assertEquals("left", data.get("paddingSide").asText());
        assertEquals(layers, data.get("layers").asInt());
        assertEquals(heads, data.get("heads").asInt());
        JsonNode first = data.get("sequences").get(0);
        assertEquals(expected.size(), first.get("tokens").size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), first.get("tokens").get(i).asText());
        }
        // The shortest input is padded on the left: its mask starts with zeros and ends with ones.
        JsonNode third = data.get("sequences").get(2);
        assertEquals(0, third.get("attentionMask").get(0).asInt());
        assertEquals(1, third.get("attentionMask").get(third.get("attentionMask").size() - 1).asInt());
        assertTrue(data.get("sequences").get(1).get("text").asText().contains("<script>"));
        // Every stored attention row is a distribution (within the u16 quantisation).
        int n = first.get("tokens").size();
        byte[] bytes = Base64.getDecoder().decode(first.get("attention").get("u16").asText());
        double scale = first.get("attention").get("scale").asDouble();
        for (int row = 0; row < layers * heads * n; row++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                int k = row * n + j;
                sum += ((bytes[2 * k] & 0xff) | (bytes[2 * k + 1] & 0xff) << 8) / 65535.0 * scale;
            }
            assertEquals(1, sum, 1e-3, "row " + row);
        }
        assertTrue(first.get("normSummed").isObject(), "value vectors captured for norm attribution");
        assertTrue(out.toString().startsWith("wrote "), out.toString());
    }

    @Test
    void pngHeatmapOfOneHead() throws Exception {
        Path png = dir.resolve("head.png");
        assertEquals(0, run("view", "The cat sat on the mat.", "--format", "png", "--layer", "2", "--head", "3",
                "--out", png.toString()), err.toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 200 && image.getHeight() > 200);
    }

    @Test
    void ansiRolloutPrintsColouredCells() {
        assertEquals(0, run("view", "The cat sat.", "--format", "ansi", "--rollout"), err.toString());
        assertTrue(out.toString().contains("\u001b[48;2;"), out.toString());
        assertTrue(out.toString().contains("attention rollout"));
    }

    @Test
    void maxTokensLiftsTheTokenizersTruncation() throws Exception {
        String text = "the quick brown fox jumps over the lazy dog ".repeat(40); // 360 words
        Path html = dir.resolve("long.html");
        assertEquals(0, run("view", text, "--max-tokens", "300", "--out", html.toString()), err.toString());
        Matcher m = DATA.matcher(Files.readString(html));
        assertTrue(m.find());
        assertEquals(300, new ObjectMapper().readTree(m.group(1)).get("sequences").get(0).get("tokens").size());
        assertEquals(2, run("view", "text", "--max-tokens", "513"));
        assertTrue(err.toString().contains("--max-tokens 513: expected 1..512"), err.toString());
    }

    @Test
    void staticFormatWithoutAMatrixChoiceIsAOneLineError() {
        assertEquals(2, run("view", "text", "--format", "png"));
        assertTrue(err.toString().contains("give --layer L [--head H], or --rollout"), err.toString());
        assertEquals(2, run("view", "text", "--format", "ansi", "--layer", "99"));
        assertTrue(err.toString().contains("layer 99: expected 0..5"), err.toString());
    }

    @Test
    void aFileSpotlightDidNotWriteIsKeptUnlessForcedAndItsOwnOutputIsReplaced() throws Exception {
        for (String format : List.of("html", "png", "svg")) {
            Path target = dir.resolve("mine." + format);
            Files.writeString(target, "my notes");
            List<String> args = new java.util.ArrayList<>(List.of("view", "The cat sat.", "--format", format,
                    "--out", target.toString()));
            if (!format.equals("html")) {
                args.addAll(List.of("--layer", "0"));
            }
            assertEquals(2, run(args.toArray(String[]::new)), format);
            assertTrue(err.toString().contains(target + " exists and was not written by spotlight; pass --force to"
                    + " overwrite it or --out to choose another file"), err.toString());
            assertEquals("my notes", Files.readString(target));

            args.add("--force");
            assertEquals(0, run(args.toArray(String[]::new)), err.toString());
            assertTrue(Files.size(target) > 1000, format);
            args.removeLast();
            // the same command again replaces its own output without --force
            Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.fromMillis(0));
            assertEquals(0, run(args.toArray(String[]::new)), err.toString());
            assertTrue(Files.getLastModifiedTime(target).toMillis() > 0, format);
        }
        assertEquals(2, run("view", "text", "--out", dir.toString()));
        assertTrue(err.toString().contains(dir + " is a directory; give --out a file name"), err.toString());
    }
}
