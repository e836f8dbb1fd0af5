package dev.spotlight.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.Capture;
import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.view.OutputFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every task command shares (model, --json, --input/--output, --view) and what they do:
 * input files read and checked before the model loads, results printed readably or as JSON lines,
 * or written to --output as JSON lines (each input row's other fields kept), the viewer written with
 * the answer marked.
 */
final class TaskOptions {
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "A Hugging Face model folder (or .onnx with config.json beside it) whose config.json names the task's head.")
    String model;

    @Option(names = "--json", description = "Print one JSON object per input instead of the readable form.")
    boolean json;

    @Option(names = "--input", paramLabel = "FILE", description = "Read the inputs from a .txt (one per line) or .jsonl file.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Write one JSON object per input here (.jsonl).")
    Path output;

    @Option(names = "--view", paramLabel = "FILE", description = "Also write the attention viewer (HTML) with the answer marked.")
    Path view;

    @Option(names = "--force", description = "Overwrite --output / --view files that exist.")
    boolean force;

    /** Checks the file options before anything loads; {@code given} says whether inputs came as arguments. */
    void check(CommandLine command, boolean given, String what) {
        if ((input == null) != given) {
            throw new ParameterException(command, "give either " + what + " or --input FILE");
        }
        if (output != null && Files.isDirectory(output)) {
            throw new ParameterException(command, "--output " + output + " is a directory; give a file name");
        }
        if (output != null && Files.exists(output) && !force) {
            throw new ParameterException(command, output + " exists; pass --force to overwrite it");
        }
        if (view != null) {
            ViewerOutput.checkHtmlName(command, view, "--view");
            ViewerOutput.checkOverwrite(command, view, force, "--view");
        }
    }

    /** The rows of --input with a string {@code field}, or one row per argument. */
    List<ObjectNode> rows(List<String> arguments, String field) throws IOException {
        if (input != null) {
            return TextInputs.read(input, field);
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (String a : arguments) {
            rows.add(JSON.createObjectNode().put(field, a));
        }
        return rows;
    }

    TaskModel load(Task task) {
        return TaskModel.load(model, task);
    }

    Capture capture() {
        return view != null ? Capture.EXPLAIN : Capture.NONE;
    }

    /** Prints (readable or JSON) or writes the results: {@code records[i]} is input i's row with its results. */
    void emit(CommandLine command, List<ObjectNode> records, List<String> readable) throws IOException {
        if (output != null) {
            OutputFiles.write(output, "the results", out -> {
                Path partial = out.resolveSibling(out.getFileName() + ".partial");
                try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                    for (ObjectNode r : records) {
                        writer.write(JSON.writeValueAsString(r));
                        writer.newLine();
                    }
                }
                Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            });
            command.getErr().println("wrote " + records.size() + " result(s) to " + output);
            return;
        }
        PrintWriter out = command.getOut();
        if (json) {
            for (ObjectNode r : records) {
                out.println(JSON.writeValueAsString(r));
            }
        } else {
            readable.forEach(out::println);
        }
        out.flush();
    }

    /** Collects the viewer's sequences when --view is given. */
    TaskViewer viewer() {
        return new TaskViewer(view != null);
    }

    /** Writes --view, when given, from the task's viewer pages. */
    void writeView(CommandLine command, TaskModel model, TaskViewer viewer) {
        if (view != null) {
            viewer.write(model.name(), view);
            command.getErr().println("wrote " + view + " (" + viewer.size() + " sequence(s), " + ViewerOutput.size(view) + ")");
        }
    }
}
