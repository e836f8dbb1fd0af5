package dev.spotlight.cli;

import dev.spotlight.cli.bench.BenchCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spotlight} command. Each subcommand is its own class; this one only lists them.
 * Errors that reach the user are one line naming the file, field and value, never a stack trace
 * (set {@code SPOTLIGHT_DEBUG=1} to see the trace).
 */
@Command(name = "spotlight",
        mixinStandardHelpOptions = true,
        version = "spotlight 0.1.0",
        description = "Run transformer models on the JVM and see their attention.",
        subcommands = {
                BenchCommand.class,
                EmbedCommand.class,
                NerCommand.class,
                QaCommand.class,
                ClassifyCommand.class,
                ZeroShotCommand.class,
                FillMaskCommand.class,
                RerankCommand.class,
                ServeCommand.class,
                SimilarityCommand.class,
                ConvertCommand.class,
                GenerateCommand.class,
                TokenizeCommand.class,
                ViewCommand.class,
        })
public final class SpotlightCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SpotlightCommand());
        cli.setExecutionExceptionHandler((error, command, parsed) -> {
            if (System.getenv("SPOTLIGHT_DEBUG") != null) {
                error.printStackTrace(command.getErr());
            }
            command.getErr().println("spotlight: " + UserErrors.message(error));
            return 2;
        });
        // A mistyped option gets its one-line error (with picocli's "did you mean" where it has
        // one) and a pointer to --help, not the whole usage text, which buried the error above it.
        // A group command run without its subcommand ("spotlight", "spotlight bench") lists them.
        cli.setParameterExceptionHandler((error, args) -> {
            CommandLine command = error.getCommandLine();
            String name = command.getCommandSpec().qualifiedName();
            PrintWriter err = command.getErr();
            if (!command.getSubcommands().isEmpty() && !(error instanceof CommandLine.UnmatchedArgumentException)) {
                command.usage(err);
                return command.getCommandSpec().exitCodeOnInvalidInput();
            }
            err.println(name + ": " + UserErrors.printable(error.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(error, err);
            err.println("Try '" + name + " --help' for usage.");
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }
}
