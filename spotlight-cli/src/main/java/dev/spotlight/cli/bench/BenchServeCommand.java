package dev.spotlight.cli.bench;

import dev.spotlight.cli.ServeCommand;
import dev.spotlight.models.CausalLM;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.server.ServerOptions;
import dev.spotlight.server.bench.CompletionBenchmark;
import dev.spotlight.server.bench.ServeBenchmark;
import dev.spotlight.tensor.Parallel;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spotlight bench serve}: see {@link ServeBenchmark}. Loopback only. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = "Server vs in-process embed on the benchmark corpus (loopback): tokens/s at 64 clients, "
                + "p50/p99 at 1, 8, 64 clients, overload at 4x capacity; with --decoder, short completions' latency beside"
                + " long ones, continuous batching on and off.")
public final class BenchServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "M", description = "Encoder to serve (default: all-minilm-l6-v2).")
    String model;

    @Option(names = "--sentences", paramLabel = "N", defaultValue = "1024",
            description = "Corpus sentences per throughput figure (default: ${DEFAULT-VALUE}).")
    int sentences;

    @Option(names = "--limit-s", paramLabel = "S", defaultValue = "60",
            description = "Time limit of each load run in seconds (default: ${DEFAULT-VALUE}).")
    int limitSeconds;

    @Option(names = "--decoder", paramLabel = "M",
            description = "Instead, the completions case on this decoder (a model folder): latency of short completions sent"
                    + " while long ones run, joining the running generation vs waiting for it to end.")
    String decoder;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all cores).")
    Integer threads;

    @Mixin
    ServeCommand.Batching batching;

    @Override
    public Integer call() throws InterruptedException {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        if (sentences < 64 || sentences > 2048) {
            throw new IllegalArgumentException("--sentences " + sentences + ": expected 64..2048");
        }
        ServeCommand.quietHelidon();
        ServerOptions options = batching.apply(ServerOptions.defaults());
        if (decoder != null) {
            try (CausalLM lm = Spotlight.causalLM(decoder)) {
                CompletionBenchmark.run(lm, new CompletionBenchmark.Settings(2, 256, 200, 8, Duration.ofSeconds(limitSeconds), options),
                        spec.commandLine().getOut());
            }
            return 0;
        }
        try (EncoderModel encoder = Spotlight.load(model)) {
            ServeBenchmark.run(encoder, new ServeBenchmark.Settings(sentences, Duration.ofSeconds(limitSeconds), options),
                    spec.commandLine().getOut());
        }
        return 0;
    }
}
