package dev.spotlight.tokenizers.models;

import dev.spotlight.tokenizers.JsonView;
import java.util.List;

/** Builds the model of a tokenizer.json {@code model} block. */
public final class Models {
    private static final List<String> TYPES = List.of("BPE", "WordPiece", "WordLevel", "Unigram");

    private Models() {
    }

    public static Model fromJson(JsonView block) {
        String type = block.has("type") ? block.string("type") : inferType(block);
        return switch (type) {
            case "BPE" -> Bpe.fromJson(block);
            case "WordPiece" -> WordPiece.fromJson(block);
            case "WordLevel" -> WordLevel.fromJson(block);
            case "Unigram" -> Unigram.fromJson(block);
            default -> throw block.get("type").error("unknown model type \"" + type + "\", expected one of " + TYPES);
        };
    }

    /**
     * Files written before models carried a "type": Rust tries each model's fields in turn, so what
     * it accepts is exactly this (checked against the Rust library; partial WordPiece fields read as
     * WordLevel, a vocabulary alone matches nothing).
     */
    private static String inferType(JsonView block) {
        if (block.has("vocab") && block.has("merges")) {
            return "BPE";
        }
        if (block.has("vocab") && block.get("vocab").node().isArray()) {
            return "Unigram";
        }
        if (block.has("vocab") && block.has("unk_token")) {
            return block.has("continuing_subword_prefix") && block.has("max_input_chars_per_word") ? "WordPiece" : "WordLevel";
        }
        throw block.error("a model block needs a \"type\" (one of " + TYPES + ") or the fields of one: vocab and merges (BPE), "
                + "vocab, unk_token, continuing_subword_prefix and max_input_chars_per_word (WordPiece), vocab and unk_token "
                + "(WordLevel), vocab as [piece, score] pairs (Unigram)");
    }
}
