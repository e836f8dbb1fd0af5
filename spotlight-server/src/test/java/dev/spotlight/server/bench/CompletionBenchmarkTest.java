package dev.spotlight.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.decoder.SharedModels;
import dev.spotlight.server.ServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The completions case of {@code bench serve} runs each mode end to end on stories260K and reports every answer (no timing is checked). */
class CompletionBenchmarkTest {

    @Test
    void everyModeAnswersEveryShortCompletionAndSaysSo() throws InterruptedException {
        StringWriter text = new StringWriter();
        try (CausalLM model = Spotlight.causalLM(SharedModels.require("stories260K").resolve("hf").toString())) {
            CompletionBenchmark.run(model, new CompletionBenchmark.Settings(1, 16, 3, 4, Duration.ofSeconds(60),
                    ServerOptions.defaults()), new PrintWriter(text));
        }
        List<String> lines = text.toString().lines().toList();
        assertEquals(4, lines.size(), text.toString());
        for (String mode : List.of("alone:", "waiting for the running generation:", "joining it (continuous):")) {
            String line = lines.stream().filter(l -> l.contains(mode)).findFirst().orElseThrow(() -> new AssertionError(mode + text));
            assertTrue(line.contains("(3 ok, 0 failed"), line);
        }
    }
}
