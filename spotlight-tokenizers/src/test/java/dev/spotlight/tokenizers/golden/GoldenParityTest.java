package dev.spotlight.tokenizers.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.protocol.TokenizeProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 1 of the design: for every tokenizer.json, every request of the golden corpus answered
 * through {@link TokenizeProtocol#handle} equals what the Hugging Face Rust library answered
 * (goldens/generate.mjs, npm tokenizers@0.23.2): ids, tokens, code-point offsets, masks, type ids,
 * word and sequence ids, overflowing encodings, and decoding with and without special tokens.
 * Where the library answered an error, ours must be an error too (messages may differ).
 *
 * <p>The tokenizer.json files are not in git: the build fetches them into the folder named by the
 * system property {@value #DIR_PROPERTY} (see spotlight-tokenizers/goldens/README.md).
 */
class GoldenParityTest {
    static final String DIR_PROPERTY = "spotlight.tokenizers.dir";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 8;
    /** How TokenizeProtocol reports an exception that is not a TokenizerException. */
    private static final Pattern INTERNAL_ERROR = Pattern.compile("[A-Za-z]+(Exception|Error)\\b");

    static Stream<String> tokenizers() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenParityTest.class.getResource("/goldens/parity").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jsonl.gz"))
                    .map(n -> n.substring(0, n.length() - ".jsonl.gz".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void everyGoldenRequestMatchesTheRustLibrary(String name) throws IOException {
        Tokenizer tokenizer = Tokenizer.fromFile(tokenizerFile(name));
        List<JsonNode> goldens = goldens(name);
        Map<String, int[]> byCategory = new TreeMap<>();   // category -> {matched, total}
        Map<String, Integer> byDifference = new TreeMap<>(); // "category: field" -> count
        List<String> shown = new ArrayList<>();
        int matched = 0;
        for (JsonNode golden : goldens) {
            String category = golden.get("category").asText();
            Mismatch m = check(tokenizer, golden.get("request"), golden.get("response"));
            int[] counts = byCategory.computeIfAbsent(category, k -> new int[2]);
            counts[1]++;
            if (m == null) {
                counts[0]++;
                matched++;
                continue;
            }
            byDifference.merge(category + ": " + m.field().replaceAll("\\[\\d+]", "[]"), 1, Integer::sum);
            if (shown.size() < SHOWN) {
                shown.add(name + " " + category + "\n    request  " + golden.get("request")
                        + "\n    at       " + m.field() + "\n    expected " + m.expected() + "\n    actual   " + m.actual());
            }
        }
        String summary = summary(name, matched, goldens.size(), byCategory, byDifference);
        System.out.println(summary);
        assertTrue(matched == goldens.size(), summary + "\nfirst mismatches:\n  " + String.join("\n  ", shown));
    }

    /** The first difference between our answer and the library's, or null when they are equal. */
    static Mismatch check(Tokenizer tokenizer, JsonNode request, JsonNode expected) {
        JsonNode actual;
        try {
            actual = JSON.readTree(TokenizeProtocol.handle(tokenizer, JSON.writeValueAsString(request)));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return new Mismatch("(handle)", shorten(expected), "threw " + e);
        }
        if (expected.has("error") || actual.has("error")) {
            // An error must be the tokenizer refusing the input, not a bug that the protocol caught
            boolean same = expected.has("error") == actual.has("error")
                    && !INTERNAL_ERROR.matcher(actual.path("error").asText()).lookingAt();
            return same ? null : new Mismatch("error", shorten(expected.path("error")), shorten(actual.path("error")));
        }
        return firstDifference("", expected, actual);
    }

    static Mismatch firstDifference(String at, JsonNode expected, JsonNode actual) {
        if (expected.isObject() && actual.isObject()) {
            for (var names = expected.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!actual.has(field)) {
                    return new Mismatch(at + "." + field, shorten(expected.get(field)), "(absent)");
                }
                Mismatch m = firstDifference(at + "." + field, expected.get(field), actual.get(field));
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (expected.isArray() && actual.isArray()) {
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                Mismatch m = firstDifference(at + "[" + i + "]", expected.get(i), actual.get(i));
                if (m != null) {
                    return m;
                }
            }
            return expected.size() == actual.size() ? null
                    : new Mismatch(at + ".length", expected.size() + " " + shorten(expected), actual.size() + " " + shorten(actual));
        }
        // numbers compare by value: 1 and 1.0 are the same id
        boolean equal = expected.isNumber() && actual.isNumber()
                ? expected.decimalValue().compareTo(actual.decimalValue()) == 0
                : expected.equals(actual);
        return equal ? null : new Mismatch(at, shorten(expected), shorten(actual));
    }

    record Mismatch(String field, String expected, String actual) {
    }

    private static String summary(String name, int matched, int total, Map<String, int[]> byCategory,
                                  Map<String, Integer> byDifference) {
        StringBuilder s = new StringBuilder(String.format("golden parity %-22s %4d/%4d requests match", name, matched, total));
        byCategory.forEach((category, c) -> {
            if (c[0] != c[1]) {
                s.append(String.format("%n    %-48s %3d/%3d", category, c[0], c[1]));
            }
        });
        if (!byDifference.isEmpty()) {
            s.append("\n  first differing field, by category:");
            byDifference.forEach((k, n) -> s.append(String.format("%n    %-70s x%d", k, n)));
        }
        return s.toString();
    }

    private static String shorten(JsonNode node) {
        String s = node.toString();
        return s.length() <= 300 ? s : s.substring(0, 300) + "…(" + s.length() + " chars)";
    }

    static Path tokenizerFile(String name) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null) {
            fail("system property " + DIR_PROPERTY + " is not set: run through Maven, whose build fetches the tokenizer files");
        }
        Path file = Path.of(dir, name + ".json");
        if (!Files.isRegularFile(file)) {
            fail(file + " is missing: the spotlight-tokenizers build fetches it in generate-test-resources (goldens/README.md)");
        }
        return file;
    }

    static List<JsonNode> goldens(String name) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (var in = GoldenParityTest.class.getResourceAsStream("/goldens/parity/" + name + ".jsonl.gz");
             var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }
}
