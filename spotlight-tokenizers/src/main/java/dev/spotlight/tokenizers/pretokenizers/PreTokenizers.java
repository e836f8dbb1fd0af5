package dev.spotlight.tokenizers.pretokenizers;

import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.NormalizedString.SplitDelimiterBehavior;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import dev.spotlight.tokenizers.regex.Regexes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds a pre-tokenizer from its tokenizer.json block, dispatching on {@code "type"} as Hugging Face does. */
public final class PreTokenizers {
    static final List<String> TYPES = List.of("BertPreTokenizer", "ByteLevel", "CharDelimiterSplit", "Metaspace", "Whitespace",
            "Sequence", "Split", "Punctuation", "WhitespaceSplit", "Digits", "UnicodeScripts", "FixedLength");

    private PreTokenizers() {
    }

    public static PreTokenizer fromJson(JsonView block) {
        String type = block.string("type");
        return switch (type) {
            case "BertPreTokenizer" -> new BertPreTokenizer();
            case "ByteLevel" -> new ByteLevel(block.bool("add_prefix_space"), block.bool("trim_offsets"), block.bool("use_regex", true));
            case "CharDelimiterSplit" -> new CharDelimiterSplit(singleChar(block, "delimiter"));
            case "Metaspace" -> metaspace(block);
            case "Whitespace" -> new Whitespace();
            case "WhitespaceSplit" -> new WhitespaceSplit();
            case "Sequence" -> sequence(block);
            case "Split" -> split(block);
            case "Punctuation" -> new Punctuation(block.has("behavior") ? behavior(block.get("behavior")) : SplitDelimiterBehavior.Isolated);
            case "Digits" -> new Digits(block.bool("individual_digits"));
            case "UnicodeScripts" -> new UnicodeScripts();
            case "FixedLength" -> fixedLength(block);
            default -> throw block.get("type").error("unknown pre_tokenizer type \"" + type + "\", expected one of " + TYPES);
        };
    }

    private static PreTokenizer sequence(JsonView block) {
        List<PreTokenizer> parts = new ArrayList<>();
        for (JsonView e : block.get("pretokenizers").elements()) {
            parts.add(fromJson(e));
        }
        return new Sequence(parts);
    }

    private static PreTokenizer split(JsonView block) {
        JsonView pattern = block.get("pattern");
        SplitDelimiterBehavior behavior = behavior(block.get("behavior"));
        boolean invert = block.bool("invert");
        if (pattern.has("String")) {
            String literal = pattern.string("String");
            return new Split(literal, false, behavior, invert, Regexes.literal(literal));
        }
        if (pattern.has("Regex")) {
            String regex = pattern.string("Regex");
            return new Split(regex, true, behavior, invert, Normalizers.compile(pattern.get("Regex"), regex));
        }
        throw pattern.mismatch("{\"String\": ...} or {\"Regex\": ...}");
    }

    private static PreTokenizer metaspace(JsonView block) {
        int replacement = singleChar(block, "replacement");
        Metaspace.PrependScheme scheme = Metaspace.PrependScheme.always;
        if (block.has("prepend_scheme")) {
            String name = block.string("prepend_scheme");
            scheme = Arrays.stream(Metaspace.PrependScheme.values()).filter(v -> v.name().equals(name)).findFirst()
                    .orElseThrow(() -> block.get("prepend_scheme").error("unknown prepend_scheme \"" + name + "\", expected one of "
                            + Arrays.toString(Metaspace.PrependScheme.values())));
        }
        if (block.has("add_prefix_space") && !block.bool("add_prefix_space")) {
            if (scheme != Metaspace.PrependScheme.never) {
                throw block.get("add_prefix_space").error("add_prefix_space false does not match prepend_scheme \"" + scheme + "\"");
            }
        }
        return new Metaspace(replacement, scheme, block.bool("split", true));
    }

    private static PreTokenizer fixedLength(JsonView block) {
        int length = block.integer("length", 5);
        if (length <= 0) {
            throw block.get("length").error("expected a length of at least 1, found " + length);
        }
        return new FixedLength(length);
    }

    /** A {@code SplitDelimiterBehavior} by its JSON name. */
    public static SplitDelimiterBehavior behavior(JsonView v) {
        String name = v.asString();
        for (SplitDelimiterBehavior b : SplitDelimiterBehavior.values()) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw v.error("unknown behavior \"" + name + "\", expected one of " + Arrays.toString(SplitDelimiterBehavior.values()));
    }

    private static int singleChar(JsonView block, String key) {
        JsonView v = block.get(key);
        String s = v.asString();
        if (s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
            throw v.error("expected a single character, found \"" + s + "\"");
        }
        return s.codePointAt(0);
    }
}
