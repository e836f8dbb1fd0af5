package dev.spotlight.cli.bench;

import picocli.CommandLine.Command;

/** {@code spotlight bench …}: measurements whose figures go into BENCHMARKS.md. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure tokenizers, kernels and models on this machine.",
        subcommands = {
                BenchTokenizeCommand.class,
                BenchEncodeCommand.class,
                BenchServeCommand.class,
                BenchGenerateCommand.class,
                BenchGemmCommand.class,
                BenchAttentionCommand.class,
        })
public final class BenchCommand {
}
