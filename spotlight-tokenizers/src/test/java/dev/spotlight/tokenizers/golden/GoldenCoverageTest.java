package dev.spotlight.tokenizers.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The parity goldens are worth something only if they cover every model type and can fail. */
class GoldenCoverageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void goldensCoverEveryModelTypeWithAtLeastTenTokenizers() throws IOException, URISyntaxException {
        List<String> names = GoldenParityTest.tokenizers().toList();
        Set<String> types = new TreeSet<>();
        for (String name : names) {
            types.add(modelType(GoldenParityTest.tokenizerFile(name)));
        }
        assertTrue(names.size() >= 10, "only " + names.size() + " tokenizers: " + names);
        assertEquals(Set.of("WordPiece", "BPE", "BPE+byte_fallback", "Unigram", "WordLevel"), types);
    }

    /** "type" of the "model" block, plus "+byte_fallback" when set; streams past the vocabulary. */
    private static String modelType(Path file) throws IOException {
        String type = null;
        boolean byteFallback = false;
        try (JsonParser p = JSON.getFactory().createParser(file.toFile())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean model = p.currentName().equals("model");
                p.nextToken();
                if (!model) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "type" -> type = p.getText();
                        case "byte_fallback" -> byteFallback = p.getValueAsBoolean();
                        default -> p.skipChildren();
                    }
                }
            }
        }
        return type + (byteFallback ? "+byte_fallback" : "");
    }

    @Test
    void everyGoldenFileExercisesPaddingTruncationPairsAndErrors() throws IOException, URISyntaxException {
        for (String name : GoldenParityTest.tokenizers().toList()) {
            Set<String> kinds = new HashSet<>();
            for (JsonNode line : GoldenParityTest.goldens(name)) {
                kinds.add(line.get("category").asText().replaceAll("/.*", ""));
                if (line.get("response").has("error")) {
                    kinds.add("error");
                }
            }
            assertTrue(kinds.containsAll(Set.of("single", "batch", "no_special", "pair", "padding", "padding_pairs",
                    "truncation", "truncation_pairs", "padding_truncation", "settings", "error")), name + ": " + kinds);
        }
    }

    @Test
    void comparisonNamesTheFirstDifferingField() throws IOException {
        JsonNode expected = JSON.readTree("{\"encodings\":[{\"ids\":[1,2,3],\"offsets\":[[0,1],[1,2]]}]}");
        assertNull(GoldenParityTest.firstDifference("", expected, JSON.readTree("{\"encodings\":[{\"offsets\":[[0,1],[1,2]],\"ids\":[1,2,3.0]}]}")));

        var offset = GoldenParityTest.firstDifference("", expected, JSON.readTree("{\"encodings\":[{\"ids\":[1,2,3],\"offsets\":[[0,1],[1,3]]}]}"));
        assertEquals(new GoldenParityTest.Mismatch(".encodings[0].offsets[1][1]", "2", "3"), offset);

        var length = GoldenParityTest.firstDifference("", expected, JSON.readTree("{\"encodings\":[{\"ids\":[1,2]}]}"));
        assertEquals(".encodings[0].ids.length", length.field());

        var absent = GoldenParityTest.firstDifference("", expected, JSON.readTree("{\"encodings\":[{\"ids\":[1,2,3]}]}"));
        assertEquals(".encodings[0].offsets", absent.field());
        assertEquals("(absent)", absent.actual());

        var nullVsZero = GoldenParityTest.firstDifference("", JSON.readTree("{\"word_ids\":[null]}"), JSON.readTree("{\"word_ids\":[0]}"));
        assertEquals(".word_ids[0]", nullVsZero.field());
    }
}
