package dev.spotlight.tokenizers.processors;

import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.JsonView;
import dev.spotlight.tokenizers.TokenizerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code TemplateProcessing}: the {@code single} and {@code pair} templates list sequences
 * ({@code $A}, {@code $B}) and special tokens, each with its type id; every special token may
 * stand for several ids.
 */
public record TemplateProcessing(List<Piece> single, List<Piece> pair, Map<String, Special> specialTokens)
        implements PostProcessor {

    /** One template element: a sequence (0 = A, 1 = B) or a special token (by its id in {@code special_tokens}). */
    public record Piece(int sequence, String specialId, int typeId) {
    }

    /** An entry of {@code special_tokens}: the ids and tokens one template name expands to. */
    public record Special(int[] ids, List<String> tokens) {
    }

    public TemplateProcessing {
        single = List.copyOf(single);
        pair = List.copyOf(pair);
        specialTokens = Map.copyOf(specialTokens);
    }

    static TemplateProcessing fromJson(JsonView v) {
        Map<String, Special> specials = new LinkedHashMap<>();
        for (var e : v.get("special_tokens").fields()) {
            JsonView s = e.getValue();
            List<JsonView> ids = s.get("ids").elements();
            List<JsonView> tokens = s.get("tokens").elements();
            if (ids.size() != tokens.size()) {
                throw s.error("SpecialToken: ids and tokens must be of the same length, found " + ids.size() + " and " + tokens.size());
            }
            specials.put(s.string("id"), new Special(ids.stream().mapToInt(JsonView::asInt).toArray(),
                    tokens.stream().map(JsonView::asString).toList()));
        }
        List<Piece> single = template(v.get("single"), specials);
        List<Piece> pair = template(v.get("pair"), specials);
        return new TemplateProcessing(single, pair, specials);
    }

    private static List<Piece> template(JsonView v, Map<String, Special> specials) {
        List<Piece> out = new ArrayList<>();
        if (v.node().isTextual()) {
            for (String part : v.asString().split(" ", -1)) {
                out.add(parse(v, part));
            }
        } else {
            for (JsonView p : v.elements()) {
                if (p.node().isTextual()) {
                    out.add(parse(p, p.asString()));
                } else if (p.has("Sequence")) {
                    JsonView s = p.get("Sequence");
                    String id = s.string("id");
                    if (!id.equals("A") && !id.equals("B")) {
                        throw s.get("id").mismatch("\"A\" or \"B\"");
                    }
                    out.add(new Piece(id.equals("A") ? 0 : 1, null, s.integer("type_id")));
                } else if (p.has("SpecialToken")) {
                    JsonView s = p.get("SpecialToken");
                    out.add(new Piece(-1, s.string("id"), s.integer("type_id")));
                } else {
                    throw p.mismatch("{\"Sequence\": {...}} or {\"SpecialToken\": {...}}");
                }
            }
        }
        for (Piece p : out) {
            // Rust would panic on the first encode; failing at load names the culprit instead.
            if (p.specialId() != null && !specials.containsKey(p.specialId())) {
                throw v.error("Missing SpecialToken(s) with id(s) `" + p.specialId() + "`");
            }
        }
        return out;
    }

    /** The string form Rust accepts too: {@code $A}, {@code $B:1}, {@code $0}, {@code [CLS]:0}. */
    private static Piece parse(JsonView where, String s) {
        String[] parts = s.split(":", -1);
        if (parts.length > 2) {
            throw where.error("Cannot build Piece from string \"" + s + "\"");
        }
        int typeId = 0;
        if (parts.length == 2) {
            typeId = parseTypeId(where, parts[1], s);
        }
        String id = parts[0];
        if (!id.startsWith("$")) {
            return new Piece(-1, id, typeId);
        }
        String rest = id.substring(1);
        return switch (rest) {
            case "", "A", "a" -> new Piece(0, null, parts.length == 2 ? typeId : 0);
            case "B", "b" -> new Piece(1, null, parts.length == 2 ? typeId : 0);
            default -> new Piece(0, null, parts.length == 2 ? typeId : parseTypeId(where, rest, s));
        };
    }

    private static int parseTypeId(JsonView where, String digits, String s) {
        try {
            int t = Integer.parseInt(digits);
            if (t >= 0 && digits.chars().allMatch(Character::isDigit)) {
                return t;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw where.error("Cannot build Piece from string \"" + s + "\"");
    }

    @Override
    public int addedTokens(boolean isPair) {
        int n = 0;
        for (Piece p : isPair ? pair : single) {
            if (p.specialId() != null) {
                n += specialTokens.get(p.specialId()).ids().length;
            }
        }
        return n;
    }

    @Override
    public List<Encoding> processEncodings(List<Encoding> encodings, boolean addSpecialTokens) {
        if (encodings.size() > 2) {
            throw new TokenizerException("TemplateProcessing: expected 1 or 2 encodings, found " + encodings.size());
        }
        List<Encoding> sequences = new ArrayList<>(encodings);
        List<Encoding> out = new ArrayList<>();
        for (Piece p : encodings.size() == 2 ? pair : single) {
            if (p.specialId() == null) {
                if (p.sequence() >= sequences.size()) {
                    throw new TokenizerException("TemplateProcessing: the template uses sequence B but no pair was given");
                }
                Encoding e = sequences.get(p.sequence()).withTypeIds(p.typeId()).withSequenceId(p.sequence());
                sequences.set(p.sequence(), e);
                out.add(e);
            } else if (addSpecialTokens) {
                Special s = specialTokens.get(p.specialId());
                out.add(Encoding.special(s.ids(), s.tokens(), p.typeId()));
            }
        }
        return out;
    }
}
