package dev.spotlight.tokenizers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.tokenizers.JsonView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each model, given a whole input as one piece, yields the ids, tokens and offsets the Rust library
 * yields for a tokenizer.json that holds only that model. Rust reports code-point offsets here; our
 * models report UTF-16 indices, so the expectation is converted through the input.
 */
class ModelGoldensTest {

    static Stream<Arguments> cases() {
        return ModelGoldens.lines("model").stream()
                .map(line -> Arguments.of(Named.of(line.get("name").asText() + " " + line.get("input"), line)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tokenizesLikeTheRustLibrary(JsonNode line) {
        Model model = Models.fromJson(new JsonView(line.get("model"), "models.jsonl", "$.model"));
        String input = line.get("input").asText();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < line.get("ids").size(); i++) {
            JsonNode offsets = line.get("offsets").get(i);
            int start = input.offsetByCodePoints(0, offsets.get(0).asInt());
            int end = input.offsetByCodePoints(0, offsets.get(1).asInt());
            expected.add(line.get("ids").get(i).asInt() + " " + line.get("tokens").get(i).asText() + " [" + start + "," + end + ")");
        }
        List<String> actual = new ArrayList<>();
        for (Token t : model.tokenize(input)) {
            actual.add(t.id() + " " + t.value() + " [" + t.start() + "," + t.end() + ")");
        }
        assertEquals(expected, actual);
    }
}
