package dev.spotlight.models.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.ModelException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing against Python's jinja2: the 4000 templates generate_chat_goldens.py made by mutating the
 * corpus (the same SplitMix64 sequence here), each rendered there and here. Where jinja2 rendered, the output
 * must be the same (its SHA-256 prefix) or a refusal of something unsupported; where jinja2 failed, the render
 * must fail too. Never a different prompt.
 */
class ChatTemplateDifferentialFuzzTest {
    /** The same generator as generate_chat_goldens.py's. */
    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            state = seed;
        }

        int below(int bound) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return (int) Long.remainderUnsigned(z ^ (z >>> 31), bound);
        }
    }

    @Test
    void mutantsRenderAsJinja2RendersThemOrFailWhereItFails() throws Exception {
        JsonNode goldens = ChatFixtures.goldens();
        JsonNode fuzz = goldens.get("fuzz");
        List<String> pieces = new ArrayList<>();
        fuzz.get("pieces").forEach(p -> pieces.add(p.asText()));
        Map<String, Map<String, Object>> contexts = new LinkedHashMap<>();
        fuzz.get("contexts").properties().forEach(e -> {
            Map<String, Object> vars = new LinkedHashMap<>();
            e.getValue().properties().forEach(v -> vars.put(v.getKey(), v.getValue()));
            contexts.put(e.getKey(), vars);
        });
        Clock clock = ChatTemplateGoldenTest.clock(goldens);
        SplitMix64 rng = new SplitMix64(fuzz.get("seed").asLong());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int same = 0;
        int bothFailed = 0;
        int refused = 0;
        JsonNode sources = fuzz.get("sources");
        for (int i = 0; i < fuzz.get("results").size(); i++) {
            JsonNode source = sources.get(rng.below(sources.size()));
            String template = mutate(goldens.get("templates").get(source.get(0).asText()).asText(), rng, pieces);
            String expected = fuzz.get("results").get(i).asText();
            String output;
            try {
                output = ChatTemplate.parse(template, "fuzz").render(contexts.get(source.get(1).asText()), clock);
            } catch (ModelException e) {
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
                if (expected.equals("e")) {
                    bothFailed++;
                } else {
                    refused++;
                    assertTrue(e.getMessage().contains("not supported") || e.getMessage().contains("Error:"),
                            "case " + i + ": jinja2 rendered " + template + " but it failed here: " + e.getMessage());
                }
                continue;
            }
            String hash = "o" + HexFormat.of().formatHex(sha.digest(output.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            assertEquals(expected, hash, "case " + i + ": " + template + (expected.equals("e") ? " failed in jinja2" : ""));
            same++;
        }
        System.out.printf("differential fuzz: %d same output, %d failed in both, %d refused here only%n", same, bothFailed, refused);
    }

    private static String mutate(String text, SplitMix64 rng, List<String> pieces) {
        List<Integer> s = new ArrayList<>(text.codePoints().boxed().toList());  // by code point, as Python
        int edits = 1 + rng.below(4);
        for (int k = 0; k < edits; k++) {
            int at = rng.below(s.size() + 1);
            switch (rng.below(3)) {
                case 0 -> s.addAll(at, pieces.get(rng.below(pieces.size())).codePoints().boxed().toList());
                case 1 -> s.subList(at, Math.min(s.size(), at + 1 + rng.below(4))).clear();
                default -> {
                    int start = rng.below(s.size() + 1);
                    s.addAll(at, new ArrayList<>(s.subList(start, Math.min(s.size(), start + 1 + rng.below(12)))));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        s.forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
