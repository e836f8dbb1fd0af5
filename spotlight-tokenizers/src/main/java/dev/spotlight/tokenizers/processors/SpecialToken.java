package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.JsonView;
import java.util.List;

/** A special token a post-processor inserts: its text and id, like {@code "sep": ["[SEP]", 102]}. */
public record SpecialToken(String token, int id) {

    static SpecialToken fromJson(JsonView v) {
        List<JsonView> pair = v.elements();
        if (pair.size() != 2) {
            throw v.mismatch("[token, id]");
        }
        int id = pair.get(1).asInt();
        if (id < 0) {
            throw pair.get(1).mismatch("a non-negative id");
        }
        return new SpecialToken(pair.get(0).asString(), id);
    }

    Encoding encoding(int typeId) {
        return Encoding.special(new int[] {id}, List.of(token), typeId);
    }
}
