package dev.spotlight.tokenizers.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.tokenizers.AddedToken;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.TokenizerTest;
import dev.spotlight.tokenizers.Truncation;
import dev.spotlight.tokenizers.pretokenizers.WhitespaceSplit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad request lines get an error line naming what is wrong; good ones honour the absent/null/block rule. */
class TokenizeProtocolTest {
    private final Tokenizer tokenizer = new Tokenizer(TokenizerTest.words("[UNK]", "[PAD]", "a", "b"), null, new WhitespaceSplit(),
            null, null, List.of(AddedToken.of("[PAD]", true)),
            new Padding(4, Direction.Right, 0, 1, 0, "[PAD]"), new Truncation(3, Truncation.Strategy.LongestFirst, Direction.Right, 0));

    private String handle(String request) {
        return TokenizeProtocol.handle(tokenizer, request);
    }

    @Test
    void badRequestsAnswerWithAnErrorNamingTheProblem() {
        assertTrue(handle("{\"texts\": [\"a\"]").startsWith("{\"error\":\"request: not valid JSON: Unexpected end-of-input"));
        assertEquals("{\"error\":\"request: expected a JSON object\"}", handle("[1]"));
        assertEquals("{\"error\":\"request: expected exactly one of \\\"texts\\\" and \\\"pairs\\\"\"}", handle("{\"texts\": [], \"pairs\": []}"));
        assertEquals("{\"error\":\"request: $.pairs[0]: expected a pair [first, second], found [\\\"a\\\"]\"}", handle("{\"pairs\": [[\"a\"]]}"));
        assertEquals("{\"error\":\"request: $.texts[1]: expected a string, found 3\"}", handle("{\"texts\": [\"a\", 3]}"));
        assertEquals("{\"error\":\"request: $.padding.strategy: expected \\\"BatchLongest\\\" or {\\\"Fixed\\\": n}, found \\\"Longest\\\"\"}",
                handle("{\"texts\": [\"a\"], \"padding\": {\"strategy\": \"Longest\"}}"));
    }

    @Test
    void absentKeysKeepTheFileSettingsAndNullDisablesThem() {
        assertTrue(handle("{\"texts\": [\"a b a b\"]}").startsWith("{\"encodings\":[{\"ids\":[2,3,2,1],"), "file truncation 3, file padding to 4");
        assertTrue(handle("{\"texts\": [\"a b a b\"], \"padding\": null}").startsWith("{\"encodings\":[{\"ids\":[2,3,2],"));
        assertTrue(handle("{\"texts\": [\"a b a b a\"], \"padding\": null, \"truncation\": null}").startsWith("{\"encodings\":[{\"ids\":[2,3,2,3,2],"));
    }

    @Test
    void emptyBatchesAnswerEmptyLists() {
        assertEquals("{\"encodings\":[],\"decoded\":{\"skip_special\":[],\"keep_special\":[]}}", handle("{\"texts\": []}"));
    }
}
