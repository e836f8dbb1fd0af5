package dev.spotlight.tokenizers.decoders;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.TokenizerException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad decoder blocks fail with a message naming the JSON path, the value and what was expected. */
class DecoderJsonErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"Fancy\"}|$.decoder.type|unknown decoder type \"Fancy\", expected one of [WordPiece, ByteLevel",
        "{\"type\":\"Strip\",\"content\":\"ab\",\"start\":1,\"stop\":0}|$.decoder.content|a single character",
        "{\"type\":\"Strip\",\"content\":\" \",\"start\":\"one\",\"stop\":0}|$.decoder.start|\"one\"",
        "{\"type\":\"Metaspace\",\"replacement\":\"_\",\"prepend_scheme\":\"sometimes\"}|$.decoder.prepend_scheme|\"always\", \"first\" or \"never\"",
        "{\"type\":\"Replace\",\"pattern\":{\"Glob\":\"*\"},\"content\":\"\"}|$.decoder.pattern|{\"String\": ...} or {\"Regex\": ...}",
        "{\"type\":\"Replace\",\"pattern\":{\"Regex\":\"(a\"},\"content\":\"\"}|$.decoder.pattern.Regex|(a",
        "{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Fuse\"},{\"type\":\"Nope\"}]}|$.decoder.decoders[1].type|unknown decoder type \"Nope\"",
        "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":1}|$.decoder.cleanup|1",
    })
    void badDecoderBlocksNameTheirPath(String block, String path, String message) {
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> Decoders.fromJson(new JsonView(JSON.readTree(block), "tokenizer.json", "$.decoder")));
        assertTrue(e.getMessage().startsWith("tokenizer.json: " + path), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
