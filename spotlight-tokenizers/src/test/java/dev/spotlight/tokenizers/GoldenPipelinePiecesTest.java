package dev.spotlight.tokenizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.normalizers.Normalizer;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizer;
import dev.spotlight.tokenizers.pretokenizers.PreTokenizers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every normalizer and pre-tokenizer against the Rust library (goldens/normalizers_pretokenizers.jsonl.gz,
 * made by normalizers_pretokenizers.js through npm tokenizers@0.23.2): normalized text, the input
 * range of every normalized char, the pieces and their input ranges. Offsets compare as code points.
 */
class GoldenPipelinePiecesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyComponentMatchesTheRustLibrary() throws Exception {
        Map<String, List<JsonNode>> byConfig = new LinkedHashMap<>();
        for (JsonNode n : NormalizerGoldens.lines("normalizers_pretokenizers.jsonl.gz")) {
            String key = n.get("kind").asText() + " " + (n.has("normalizer") ? n.get("normalizer") + " + " : "") + n.get("config");
            byConfig.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        }
        return byConfig.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            List<String> failures = new ArrayList<>();
            for (JsonNode c : e.getValue()) {
                String problem = check(c);
                if (problem != null) {
                    failures.add(problem);
                }
            }
            assertTrue(failures.isEmpty(), failures.size() + " of " + e.getValue().size() + " inputs differ, first: "
                    + failures.subList(0, Math.min(3, failures.size())));
        }));
    }

    static String check(JsonNode c) {
        String input = c.get("input").asText();
        String kind = c.get("kind").asText();
        try {
            return switch (kind) {
                case "normalizer" -> checkNormalizer(c, input);
                case "pretokenizer" -> checkPreTokenizer(c, input);
                default -> checkPipeline(c, input);
            };
        } catch (RuntimeException ex) {
            return "input " + quote(input) + " threw " + ex;
        }
    }

    private static String checkNormalizer(JsonNode c, String input) {
        Normalizer normalizer = Normalizers.fromJson(NormalizerGoldens.config(c.get("config")));
        NormalizedString n = new NormalizedString(input);
        normalizer.normalize(n);
        String expected = c.get("normalized").asText();
        if (!n.normalized().equals(expected)) {
            return "input " + quote(input) + ": normalized " + quote(n.normalized()) + ", expected " + quote(expected);
        }
        List<String> actual = new ArrayList<>();
        String text = n.normalized();
        for (int i = 0; i < text.length(); ) {
            int w = Character.charCount(text.codePointAt(i));
            actual.add(charOffsets(input, n.originalRange(i, i + w)));
            i += w;
        }
        return compare(input, actual, offsets(c.get("alignments")));
    }

    private static String checkPreTokenizer(JsonNode c, String input) {
        PreTokenizer pre = PreTokenizers.fromJson(JsonView.root(c.get("config"), "golden"));
        PreTokenizedString p = new PreTokenizedString(input);
        pre.preTokenize(p);
        List<String> actual = new ArrayList<>();
        for (PreTokenizedString.Piece piece : p.pieces()) {
            actual.add(piece.text() + " " + charOffsets(input, new int[] {piece.start(), piece.end()}));
        }
        List<String> expected = new ArrayList<>();
        for (JsonNode piece : c.get("pieces")) {
            expected.add(piece.get(0).asText() + " [" + piece.get(1).asInt() + ", " + piece.get(2).asInt() + "]");
        }
        return compare(input, actual, expected);
    }

    private static String checkPipeline(JsonNode c, String input) {
        Normalizer normalizer = Normalizers.fromJson(NormalizerGoldens.config(c.get("normalizer")));
        PreTokenizer pre = PreTokenizers.fromJson(JsonView.root(c.get("config"), "golden"));
        NormalizedString n = new NormalizedString(input);
        normalizer.normalize(n);
        PreTokenizedString p = new PreTokenizedString(n);
        pre.preTokenize(p);
        List<String> actual = new ArrayList<>();
        for (PreTokenizedString.Split s : p.splits()) {
            actual.add(charOffsets(input, s.normalized().originalRange(0, s.normalized().length())));
        }
        return compare(input, actual, offsets(c.get("offsets")));
    }

    private static List<String> offsets(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode o : array) {
            out.add("[" + o.get(0).asInt() + ", " + o.get(1).asInt() + "]");
        }
        return out;
    }

    /** UTF-16 offsets to code points the way Rust's BytesToCharOffsetConverter treats byte offsets. */
    static String charOffsets(String input, int[] r) {
        if (r == null) {
            return "null";
        }
        int s = r[0];
        int e = r[1];
        if (s >= input.length()) { // not in the converter's map: Rust keeps the byte offsets
            return "[" + utf8Length(input, s) + ", " + utf8Length(input, e) + "]";
        }
        int cs = input.codePointCount(0, s);
        int ce = input.codePointCount(0, Math.min(e, input.length()));
        return "[" + cs + ", " + ce + "]";
    }

    private static int utf8Length(String input, int upTo) {
        return input.substring(0, Math.min(upTo, input.length())).getBytes(StandardCharsets.UTF_8).length + Math.max(0, upTo - input.length());
    }

    private static String compare(String input, List<String> actual, List<String> expected) {
        return actual.equals(expected) ? null : "input " + quote(input) + ": got " + actual + ", expected " + expected;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp > 0x7E) {
                b.append(String.format("\\u{%X}", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.append('"').toString();
    }
}
