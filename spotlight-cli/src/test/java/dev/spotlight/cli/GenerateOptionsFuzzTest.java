package dev.spotlight.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotlight.models.decoder.SharedModels;
import dev.spotlight.tokenizers.fuzz.MutationFuzzer;
import dev.spotlight.tokenizers.fuzz.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@code spotlight generate}'s options and prompts on stories260K's llama2.c checkpoint, run in
 * process: the arguments (a JSON array) are mutated as a tree or as bytes, and every run must end in exit
 * code 0, or exit code 2 with one line on stderr (picocli's "Try … --help" and "Did you mean" pointers aside) that names no Java
 * class, within the harness's time limit. Nothing here names an output file. A long run:
 * {@code ./build test -pl spotlight-cli -am -Dtest=GenerateOptionsFuzzTest -Dspotlight.fuzz.cases=5000
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GenerateOptionsFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEEDS = List.of(
            "[\"--max-new-tokens\", \"8\", \"--temperature\", \"0.8\", \"--top-p\", \"0.9\", \"--seed\", \"7\", \"One day, Lily\"]",
            "[\"--temperature\", \"0\", \"--max-new-tokens\", \"6\", \"--json\", \"Once\", \"The cat\"]",
            "[\"--top-k\", \"5\", \"--min-p\", \"0.1\", \"--repetition-penalty\", \"1.3\", \"--max-new-tokens\", \"5\", \"--seed\", \"1\","
                    + " \"--stop\", \".\", \"A\"]",
            "[\"--max-new-tokens\", \"4\", \"--chat\", \"--system\", \"Be brief.\", \"Hi\"]");
    private static final Pattern JAVA = Pattern.compile("Exception\\b|java\\.|OutOfMemoryError|StackOverflowError|\\bat dev\\.");

    /** A clean refusal: exit code 2 and one line. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @Test
    void mutatedOptionsAndPromptsEndInTextOrOneLineError() {
        String bin = SharedModels.require("stories260K").resolve("llama2c/stories260K.bin").toString();
        List<byte[]> seeds = SEEDS.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        MutationFuzzer.Report r = new MutationFuzzer("generate-options", seeds, e -> e instanceof Refused, input -> {
            List<String> args = new ArrayList<>(List.of("generate", "--model", bin));
            args.addAll(arguments(input));
            CliRun run = CliRun.run(args.toArray(String[]::new));
            // picocli's pointers after an unknown option are extra lines by design
            List<String> lines = run.err().lines().filter(l -> !l.startsWith("Try '") && !l.startsWith("Did you mean")
                    && !l.startsWith("Possible solutions")).toList();
            if (run.code() == 0) {
                return;
            }
            String message = String.join(" | ", lines);
            if (run.code() != 2 || lines.size() != 1 || JAVA.matcher(message).find()) {
                throw new AssertionError("exit " + run.code() + " for " + args.subList(3, args.size()) + ": " + message);
            }
            throw new Refused(message);
        }).mutations(Mutations.JSON).run(MutationFuzzer.cases(100));
        System.out.println(r.summary());
        assertTrue(r.failures().isEmpty(), r.summary() + "\n" + String.join("\n", r.failures()));
    }

    /** The array's items as arguments (a number or an object as its JSON text); input that is no array is one prompt. */
    private static List<String> arguments(byte[] input) {
        List<String> out = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(input);
            if (root != null && root.isArray()) {
                root.forEach(item -> out.add(item.isTextual() ? item.asText() : item.toString()));
                return out;
            }
        } catch (java.io.IOException e) {
            // not JSON any more: the bytes as one prompt
        }
        out.add(new String(input, StandardCharsets.UTF_8));
        return out;
    }
}
