package dev.spotlight.models.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.tokenizers.Tokenizer;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the pipelines need from tokenizer_config.json, as transformers' tokenizer classes read it:
 * the special tokens (a missing one falls back to the class default of BERT, "[MASK]", or RoBERTa,
 * "&lt;mask&gt;", whichever the vocabulary holds), {@code model_max_length} (absent or huge means
 * no limit), {@code padding_side} (question answering puts the question second when it is "left")
 * and {@code clean_up_tokenization_spaces} (absent means false, transformers' default since 4.45).
 *
 * @param maskId         -1 when the tokenizer has no mask token
 * @param modelMaxLength Integer.MAX_VALUE when unlimited
 */
public record TokenizerSettings(int clsId, int sepId, int padId, int unkId, int maskId, String maskToken,
                                int modelMaxLength, boolean paddingRight, boolean cleanUpTokenizationSpaces) {

    public static TokenizerSettings read(Tokenizer tokenizer, byte[] tokenizerConfigJson, String source) {
        JsonNode root = null;
        if (tokenizerConfigJson != null) {
            try {
                root = new ObjectMapper().readTree(tokenizerConfigJson);
            } catch (IOException e) {
                throw new ModelFormatException(source + ": tokenizer_config.json is not well-formed JSON: "
                        + e.getMessage().lines().findFirst().orElse(""), e);
            }
            if (root != null && !root.isObject()) {
                throw new ModelFormatException(source + ": tokenizer_config.json: expected a JSON object, found " + root.getNodeType());
            }
        }
        JsonNode config = root == null ? new ObjectMapper().createObjectNode() : root;
        String mask = token(tokenizer, config, "mask_token", List.of("[MASK]", "<mask>"), source);
        String side = config.path("padding_side").asText("right");
        if (!side.equals("right") && !side.equals("left")) {
            throw new ModelFormatException(source + ": tokenizer_config.json: padding_side is \"" + side + "\", expected right or left");
        }
        return new TokenizerSettings(
                id(tokenizer, token(tokenizer, config, "cls_token", List.of("[CLS]", "<s>"), source)),
                id(tokenizer, token(tokenizer, config, "sep_token", List.of("[SEP]", "</s>"), source)),
                id(tokenizer, token(tokenizer, config, "pad_token", List.of("[PAD]", "<pad>"), source)),
                id(tokenizer, token(tokenizer, config, "unk_token", List.of("[UNK]", "<unk>"), source)),
                id(tokenizer, mask), mask, maxLength(config.get("model_max_length"), source), side.equals("right"),
                config.path("clean_up_tokenization_spaces").asBoolean(false));
    }

    public boolean hasMask() {
        return maskId >= 0;
    }

    /** The configured token (a string or an AddedToken object with "content"), else the first default the vocabulary has. */
    private static String token(Tokenizer tokenizer, JsonNode config, String key, List<String> defaults, String source) {
        JsonNode v = config.get(key);
        if (v != null && !v.isNull()) {
            JsonNode content = v.isObject() ? v.get("content") : v;
            if (content == null || !content.isTextual()) {
                throw new ModelFormatException(source + ": tokenizer_config.json: " + key + " is " + v
                        + ", expected a string or an object with a string \"content\"");
            }
            return content.asText();
        }
        return defaults.stream().filter(t -> tokenizer.tokenToId(t).isPresent()).findFirst().orElse(null);
    }

    private static int id(Tokenizer tokenizer, String token) {
        if (token == null) {
            return -1;
        }
        OptionalInt id = tokenizer.tokenToId(token);
        return id.isPresent() ? id.getAsInt() : -1;
    }

    private static int maxLength(JsonNode v, String source) {
        if (v == null || v.isNull()) {
            return Integer.MAX_VALUE;
        }
        if (!v.isNumber() || v.asDouble() < 1) {
            throw new ModelFormatException(source + ": tokenizer_config.json: model_max_length is " + v + ", expected a positive number");
        }
        // transformers writes "no limit" as int(1e30) (VERY_LARGE_INTEGER).
        return v.asDouble() >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v.asDouble();
    }
}
