package dev.spotlight.tokenizers.decoders;

import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.normalizers.Normalizers;
import dev.spotlight.tokenizers.regex.Regexes;
import java.util.ArrayList;
import java.util.List;

/** Builds the decoder of a tokenizer.json {@code decoder} block. */
public final class Decoders {
    private static final List<String> TYPES = List.of("WordPiece", "ByteLevel", "Metaspace", "BPEDecoder", "ByteFallback",
            "Fuse", "Strip", "Replace", "CTC", "Sequence");

    private Decoders() {
    }

    public static Decoder fromJson(JsonView block) {
        String type = block.string("type");
        return switch (type) {
            case "WordPiece" -> new WordPieceDecoder(block.string("prefix", "##"), block.bool("cleanup", true));
            case "ByteLevel" -> new ByteLevelDecoder();
            case "Metaspace" -> metaspace(block);
            case "BPEDecoder" -> new BpeDecoder(block.string("suffix", "</w>"));
            case "ByteFallback" -> new ByteFallbackDecoder();
            case "Fuse" -> tokens -> List.of(String.join("", tokens));
            case "Strip" -> new StripDecoder(singleChar(block, "content"), block.integer("start"), block.integer("stop"));
            case "Replace" -> replace(block);
            case "CTC" -> new CtcDecoder(block.string("pad_token", "<pad>"), block.string("word_delimiter_token", "|"),
                    block.bool("cleanup", true));
            case "Sequence" -> sequence(block);
            default -> throw block.get("type").error("unknown decoder type \"" + type + "\", expected one of " + TYPES);
        };
    }

    private static Decoder metaspace(JsonView block) {
        int replacement = singleChar(block, "replacement");
        boolean prepend;
        if (block.has("prepend_scheme")) {
            String scheme = block.string("prepend_scheme");
            if (!List.of("always", "first", "never").contains(scheme)) {
                throw block.get("prepend_scheme").mismatch("\"always\", \"first\" or \"never\"");
            }
            prepend = !scheme.equals("never");
        } else {
            prepend = block.bool("add_prefix_space", true);
        }
        return new MetaspaceDecoder(replacement, prepend);
    }

    private static Decoder replace(JsonView block) {
        JsonView pattern = block.get("pattern");
        String content = block.string("content");
        if (pattern.has("String")) {
            return new ReplaceDecoder(Regexes.literal(pattern.string("String")), content);
        }
        if (pattern.has("Regex")) {
            return new ReplaceDecoder(Normalizers.compile(pattern.get("Regex"), pattern.string("Regex")), content);
        }
        throw pattern.mismatch("{\"String\": ...} or {\"Regex\": ...}");
    }

    private static Decoder sequence(JsonView block) {
        List<Decoder> decoders = new ArrayList<>();
        for (JsonView d : block.get("decoders").elements()) {
            decoders.add(fromJson(d));
        }
        return tokens -> {
            List<String> out = tokens;
            for (Decoder d : decoders) {
                out = d.decodeChain(out);
            }
            return out;
        };
    }

    private static int singleChar(JsonView block, String key) {
        String s = block.string(key);
        if (s.codePointCount(0, s.length()) != 1) {
            throw block.get(key).mismatch("a single character");
        }
        return s.codePointAt(0);
    }
}
