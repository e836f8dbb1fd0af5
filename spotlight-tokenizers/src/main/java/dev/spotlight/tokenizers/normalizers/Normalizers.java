package dev.spotlight.tokenizers.normalizers;

import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.NormalizedString;
import dev.spotlight.tokenizers.regex.Regexes;
import dev.spotlight.tokenizers.unicode.UnicodeNormalization.Form;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/** Builds a normalizer from its tokenizer.json block, dispatching on {@code "type"} as Hugging Face does. */
public final class Normalizers {
    static final List<String> TYPES = List.of("BertNormalizer", "Strip", "StripAccents", "NFC", "NFD", "NFKC", "NFKD",
            "Sequence", "Lowercase", "Nmt", "Precompiled", "Replace", "Prepend", "ByteLevel");

    private Normalizers() {
    }

    public static Normalizer fromJson(JsonView block) {
        String type = block.string("type");
        return switch (type) {
            case "BertNormalizer" -> new BertNormalizer(block.bool("clean_text"), block.bool("handle_chinese_chars"),
                    block.optional("strip_accents").map(JsonView::asBoolean).orElse(null), block.bool("lowercase"));
            case "Strip" -> new Strip(block.bool("strip_left"), block.bool("strip_right"));
            case "StripAccents" -> new StripAccents();
            case "NFC" -> new UnicodeForm(Form.NFC);
            case "NFD" -> new UnicodeForm(Form.NFD);
            case "NFKC" -> new UnicodeForm(Form.NFKC);
            case "NFKD" -> new UnicodeForm(Form.NFKD);
            case "Lowercase" -> new Lowercase();
            case "Nmt" -> new Nmt();
            case "Sequence" -> sequence(block);
            case "Prepend" -> new Prepend(block.string("prepend"));
            case "Replace" -> replace(block);
            case "Precompiled" -> precompiled(block);
            case "ByteLevel" -> new ByteLevel();
            default -> throw block.get("type").error("unknown normalizer type \"" + type + "\", expected one of " + TYPES);
        };
    }

    private static Normalizer sequence(JsonView block) {
        List<Normalizer> parts = new ArrayList<>();
        for (JsonView e : block.get("normalizers").elements()) {
            parts.add(fromJson(e));
        }
        return new Sequence(parts);
    }

    private static Normalizer replace(JsonView block) {
        JsonView pattern = block.get("pattern");
        String content = block.string("content");
        if (pattern.has("String")) {
            String literal = pattern.string("String");
            return new Replace(literal, false, content, Regexes.literal(literal));
        }
        if (pattern.has("Regex")) {
            String regex = pattern.string("Regex");
            return new Replace(regex, true, content, compile(pattern.get("Regex"), regex));
        }
        throw pattern.mismatch("{\"String\": ...} or {\"Regex\": ...}");
    }

    /** Compiles a tokenizer.json regex, naming its JSON path when it does not compile. */
    public static NormalizedString.Pattern compile(JsonView where, String regex) {
        try {
            return Regexes.compile(regex);
        } catch (PatternSyntaxException e) {
            throw where.error("cannot compile regex \"" + regex + "\": " + e.getDescription());
        }
    }

    private static Normalizer precompiled(JsonView block) {
        JsonView map = block.get("precompiled_charsmap");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(map.asString());
        } catch (IllegalArgumentException e) {
            throw map.error("expected base64, " + e.getMessage());
        }
        try {
            return new Precompiled(bytes);
        } catch (IllegalArgumentException e) {
            throw map.error(e.getMessage());
        }
    }
}
