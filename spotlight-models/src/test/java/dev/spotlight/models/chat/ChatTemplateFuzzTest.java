package dev.spotlight.models.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.ModelException;
import dev.spotlight.tokenizers.fuzz.MutationFuzzer;
import dev.spotlight.tokenizers.fuzz.Mutations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of every golden template (characters and Jinja delimiters inserted, deleted, swapped),
 * each parsed and rendered over every golden context it has: the outcome is a prompt or the module's
 * one-line exception, never another exception, a hang or an unbounded allocation.
 */
class ChatTemplateFuzzTest {
    private static final String[] PIECES = {"{{", "}}", "{%", "%}", "{#", "#}", "-", "+", "(", ")", "[", "]", "{", "}", "'", "\"",
            "|", ".", ",", ":", "~", "*", "**", "/", "//", "%", " is ", " not ", " in ", " if ", " else ", " for ", " and ",
            "loop", "ns", "messages", "0", "1.5", "-1", "\\", "\n", " ", "x", "endfor", "endif", "set", "macro", "raw", "none",
            "|length", "|tojson(indent=2)", "[::-1]", "[1:]", ".strip()", ".split()", "|join(',')", "|map('upper')|list"};

    @Test
    void mutatedTemplatesRenderOrFailWithOneLineModelExceptions() {
        JsonNode goldens = ChatFixtures.goldens();
        Map<String, List<Map<String, Object>>> contexts = new LinkedHashMap<>();
        for (JsonNode c : goldens.get("cases")) {
            Map<String, Object> vars = new LinkedHashMap<>();
            c.get("context").properties().forEach(e -> vars.put(e.getKey(), e.getValue()));
            List<Map<String, Object>> list = contexts.computeIfAbsent(c.get("template").asText(), k -> new ArrayList<>());
            if (list.size() < 3) {
                list.add(vars);
            }
        }
        SplittableRandom random = new SplittableRandom(20240309);
        Clock clock = ChatTemplateGoldenTest.clock(goldens);
        int rendered = 0;
        int refused = 0;
        for (int round = 0; round < 40; round++) {
            for (Map.Entry<String, List<Map<String, Object>>> e : contexts.entrySet()) {
                String mutant = mutate(goldens.get("templates").get(e.getKey()).asText(), random);
                for (Map<String, Object> vars : e.getValue()) {
                    try {
                        ChatTemplate.parse(mutant, "fuzz").render(vars, clock);
                        rendered++;
                    } catch (ModelException ex) {
                        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
                        refused++;
                    } catch (RuntimeException | StackOverflowError ex) {
                        fail("template " + e.getKey() + " mutated to " + mutant + " threw " + ex, ex);
                    }
                }
            }
        }
        System.out.printf("chat template fuzz: %d rendered, %d refused%n", rendered, refused);
    }

    /** Besides the pieces, what makes a render expensive: loops over big ranges, self-calling macros, big repeats. */
    private static final String[] WORK = {"{% for i in range(100000) %}", "{% endfor %}", "range(100000)", "|list",
            "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}", "{{ f(40) }}", " * 100000",
            "{% set x = messages * 1000 %}", "{% for m in messages %}", "{% set ns.s = ns.s ~ ns.s %}", "ns = namespace(s='x')"};

    /**
     * The same edits through the project's fuzzing harness: a per-case time limit (a render that does not
     * end is a failure, not a stuck build), failing inputs saved and replayed from
     * {@code src/test/resources/fuzz/chat-template/}, the budget set by {@code -Dspotlight.fuzz.cases}.
     * Each mutant of a corpus template is parsed and rendered over two conversations.
     */
    @Test
    void mutatedTemplatesEndInAPromptOrAOneLineErrorInTime() {
        JsonNode goldens = ChatFixtures.goldens();
        List<byte[]> seeds = new ArrayList<>();
        goldens.get("templates").forEach(t -> seeds.add(t.asText().getBytes(StandardCharsets.UTF_8)));
        Clock clock = ChatTemplateGoldenTest.clock(goldens);
        List<Map<String, Object>> contexts = List.of(
                Map.of("messages", List.of(Map.of("role", "user", "content", "Hello")), "add_generation_prompt", true,
                        "bos_token", "<s>", "eos_token", "</s>"),
                Map.of("messages", List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", "Hi"),
                        Map.of("role", "assistant", "content", "Hello!"), Map.of("role", "user", "content", "Bye")),
                        "add_generation_prompt", false, "bos_token", "<s>", "eos_token", "</s>", "tools", List.of()));
        Mutations edits = (seed, all, random) -> {
            SplittableRandom r = new SplittableRandom(random.nextLong());
            String template = new String(seed, StandardCharsets.UTF_8);
            for (int wraps = r.nextInt(3); wraps > 0; wraps--) {
                template = wrapInLoop(template, r);
            }
            return mutate(template, r).getBytes(StandardCharsets.UTF_8);
        };
        MutationFuzzer.Report r = new MutationFuzzer("chat-template", seeds,
                e -> e instanceof ModelException && e.getMessage().lines().count() == 1, input -> {
                    ChatTemplate template = ChatTemplate.parse(new String(input, StandardCharsets.UTF_8), "fuzz");
                    for (Map<String, Object> vars : contexts) {
                        template.render(vars, clock);
                    }
                }).mutations(edits).run(MutationFuzzer.cases(1000));
        System.out.println(r.summary());
        assertTrue(r.failures().isEmpty(), r.summary() + "\n" + String.join("\n", r.failures()));
    }

    /**
     * Repeats a stretch of the template between two tag ends in a loop of 2, 1,000 or 100,000 iterations:
     * nested, and around statements that write nothing, these are the renders that would run for hours.
     */
    private static String wrapInLoop(String template, SplittableRandom random) {
        List<Integer> ends = new ArrayList<>();
        for (int at = template.indexOf("%}"); at >= 0; at = template.indexOf("%}", at + 2)) {
            ends.add(at + 2);
        }
        if (ends.size() < 2) {
            return template;
        }
        int a = ends.get(random.nextInt(ends.size()));
        int b = ends.get(random.nextInt(ends.size()));
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        String times = new String[] {"2", "1000", "100000"}[random.nextInt(3)];
        return template.substring(0, from) + "{% for _ in range(" + times + ") %}" + template.substring(from, to) + "{% endfor %}"
                + template.substring(to);
    }

    private static String mutate(String template, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(template);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(sb.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> sb.insert(at, random.nextInt(8) == 0 ? WORK[random.nextInt(WORK.length)]
                        : PIECES[random.nextInt(PIECES.length)]);
                case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(4)));
                default -> {
                    int from = random.nextInt(sb.length() + 1);
                    String piece = sb.substring(from, Math.min(sb.length(), from + 1 + random.nextInt(12)));
                    sb.insert(at, piece);
                }
            }
        }
        return sb.toString();
    }
}
