package dev.spotlight.models.bench;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.decoder.Generator;
import java.nio.file.Path;
import java.util.List;

/** Spotlight through its public generation API (the Generator's batched loop), as {@code spotlight bench generate} measures it. */
final class SpotlightContender implements Contender {
    private final CausalLM model;

    SpotlightContender(Path folder) {
        this.model = Spotlight.causalLM(folder.toString());
    }

    @Override
    public String name() {
        return "Spotlight";
    }

    @Override
    public boolean batches() {
        return true;
    }

    @Override
    public int[] nextTokens(List<int[]> prompts) {
        List<Generator.Result> results = model.generate(prompts,
                prompts.stream().map(p -> GenerateBenchmark.greedy(1)).toList(), false, null);
        return results.stream().mapToInt(r -> r.generated()[0]).toArray();
    }

    @Override
    public double prefillTokensPerSecond(int[] prompt) {
        return GenerateBenchmark.prefillTokensPerSecond(model, prompt);
    }

    @Override
    public double decodeTokensPerSecond(List<int[]> prompts, int newTokens) {
        return GenerateBenchmark.decodeTokensPerSecond(model, prompts, newTokens);
    }

    @Override
    public void close() {
        model.close();
    }
}
