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

    /** Files written before models carried a "type" are told apart by their fields, as Rust does. */
    private static String inferType(JsonView block) {
        if (block.has("merges")) {
            return "BPE";
        }
        if (block.has("continuing_subword_prefix") || block.has("max_input_chars_per_word")) {
            return "WordPiece";
        }
        if (block.has("unk_id") || (block.has("vocab") && block.get("vocab").node().isArray())) {
            return "Unigram";
        }
        if (block.has("vocab")) {
            return "WordLevel";
        }
        throw block.error("a model block needs a \"type\" (one of " + TYPES + ") or the fields of one");
    }
}
