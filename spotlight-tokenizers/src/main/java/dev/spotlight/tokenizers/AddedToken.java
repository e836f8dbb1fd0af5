package dev.spotlight.tokenizers;

/**
 * An entry of tokenizer.json's {@code added_tokens}: a string matched in the input before the
 * model runs. {@code singleWord}: only when not inside a word; {@code lstrip}/{@code rstrip}: the
 * match swallows the whitespace to its left/right; {@code normalized}: matched in the normalized
 * text instead of the raw input; {@code special}: dropped by {@code decode(ids, true)}.
 */
public record AddedToken(String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized, boolean special) {

    public AddedToken {
        if (content == null) {
            throw new TokenizerException("added token: content is required");
        }
    }

    /** A token with Hugging Face's defaults for the other flags ({@code normalized = !special}). */
    public static AddedToken of(String content, boolean special) {
        return new AddedToken(content, false, false, false, !special, special);
    }

    /** Reads one {@code added_tokens} entry; its {@code id} is not used, as in Rust (ids are re-derived). */
    static AddedToken fromJson(JsonView v) {
        boolean special = v.bool("special", false);
        return new AddedToken(v.string("content"), v.bool("single_word", false), v.bool("lstrip", false),
                v.bool("rstrip", false), v.bool("normalized", !special), special);
    }
}
