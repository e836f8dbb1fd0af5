package dev.spotlight.tokenizers.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.models.ModelGoldens;
import dev.spotlight.tokenizers.models.Model;
import dev.spotlight.tokenizers.models.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each decoder turns the tokens of some ids into the text the Rust library's {@code decode} returns. */
class DecoderGoldensTest {

    static Stream<Arguments> cases() {
        return ModelGoldens.lines("decoder").stream()
                .map(line -> Arguments.of(Named.of(line.get("name").asText() + " " + line.get("ids"), line)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decodesLikeTheRustLibrary(JsonNode line) {
        Model model = Models.fromJson(new JsonView(line.get("model"), "models.jsonl", "$.model"));
        Decoder decoder = Decoders.fromJson(new JsonView(line.get("decoder"), "models.jsonl", "$.decoder"));
        List<String> tokens = new ArrayList<>();
        for (JsonNode id : line.get("ids")) {
            tokens.add(model.idToToken(id.asInt()).orElseThrow());
        }
        assertEquals(line.get("text").asText(), decoder.decode(tokens));
    }
}
