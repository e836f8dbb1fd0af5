package dev.spotlight.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
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
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight embed}: sentence embeddings of texts given on the command line, or of every line
 * of a .txt file / every {@code "text"} of a .jsonl file, written as JSON lines.
 */
@Command(name = "embed",
        mixinStandardHelpOptions = true,
        description = "Sentence embeddings, pooled and normalised as the model's files say (--pooling and --normalize override;"
                + " stderr names what was applied).")
public final class EmbedCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Texts per model call when reading a file: large enough to keep both cores busy. */
    private static final int CHUNK = 256;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to embed.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--model", paramLabel = "M", description = "Built-in name, model folder, .onnx or .jar (default: all-minilm-l6-v2).")
    String model;

    @Option(names = "--json", description = "Print one JSON object per text with the full vector.")
    boolean json;

    @Option(names = "--input", paramLabel = "FILE", description = "A .txt file (one text per line, blank lines too) or .jsonl file (objects with \"text\"); - reads standard input as .txt.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the embeddings here as JSON lines (needed with --input); - writes standard output.")
    Path output;

    @Option(names = "--force", description = "Overwrite --output if it exists.")
    boolean force;

    @picocli.CommandLine.Mixin
    EmbeddingOptions embedding = new EmbeddingOptions();

    private int truncated;

    @Override
    public Integer call() throws IOException {
        if ((input == null) == texts.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give either texts or --input FILE");
        }
        if (input != null && output == null) {
            throw new ParameterException(spec.commandLine(), "--input needs --output FILE");
        }
        boolean toStdout = TextInputs.STDIN.equals(output);
        if (output != null && !toStdout && Files.isDirectory(output)) {
            throw new ParameterException(spec.commandLine(), "--output " + output + " is a directory; give a file name");
        }
        if (output != null && !toStdout && Files.exists(output) && !force) {
            throw new ParameterException(spec.commandLine(), output + " exists; pass --force to overwrite it");
        }
        if (output == null) {
            try (EncoderModel encoder = embedding.apply(Spotlight.load(model), spec.commandLine())) {
                printVectors(encoder, encoder.embed(texts, i -> truncated++));
                EmbeddingOptions.reportTruncated(spec.commandLine().getErr(), encoder, truncated, texts.size());
            }
            return 0;
        }
        // the input is read (and any bad line reported) before the model loads
        List<ObjectNode> rows = input != null ? TextInputs.read(input, "text")
                : texts.stream().map(text -> JSON.createObjectNode().put("text", text)).toList();
        try (EncoderModel encoder = embedding.apply(Spotlight.load(model), spec.commandLine())) {
            spec.commandLine().getErr().println(encoder.name() + ": " + EmbeddingOptions.describe(encoder.pooling()));
            writeFile(encoder, rows);
            EmbeddingOptions.reportTruncated(spec.commandLine().getErr(), encoder, truncated, rows.size());
        }
        return 0;
    }

    private void printVectors(EncoderModel encoder, float[][] vectors) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < vectors.length; i++) {
            if (json) {
                out.println(JSON.writeValueAsString(record(JSON.createObjectNode().put("text", texts.get(i)), vectors[i])));
            } else {
                out.println(texts.get(i));
                out.println("  " + encoder.name() + ", " + vectors[i].length + " dims, " + EmbeddingOptions.describe(encoder.pooling())
                        + ": " + preview(vectors[i]));
            }
        }
        out.flush();
    }

    private void writeFile(EncoderModel encoder, List<ObjectNode> rows) throws IOException {
        Progress progress = new Progress(spec.commandLine().getErr(), rows.size());
        if (TextInputs.STDIN.equals(output)) {
            PrintWriter out = spec.commandLine().getOut();
            for (int from = 0; from < rows.size(); from += CHUNK) {
                List<ObjectNode> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
                float[][] vectors = encoder.embed(chunk.stream().map(r -> r.get("text").asText()).toList(), i -> truncated++);
                for (int i = 0; i < chunk.size(); i++) {
                    out.println(JSON.writeValueAsString(record(chunk.get(i), vectors[i])));
                }
                out.flush();
                progress.advance(chunk.size());
            }
            progress.finish();
            return;
        }
        OutputFiles.write(output, "the embeddings", out -> {
            Path partial = out.resolveSibling(out.getFileName() + ".partial");
            try (BufferedWriter writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                for (int from = 0; from < rows.size(); from += CHUNK) {
                    List<ObjectNode> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
                    List<String> chunkTexts = chunk.stream().map(r -> r.get("text").asText()).toList();
                    float[][] vectors = encoder.embed(chunkTexts, i -> truncated++);
                    for (int i = 0; i < chunk.size(); i++) {
                        writer.write(JSON.writeValueAsString(record(chunk.get(i), vectors[i])));
                        writer.newLine();
                    }
                    progress.advance(chunk.size());
                }
            }
            // Only a complete file takes the output's name: an interrupted run leaves no half-written output.
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
        progress.finish();
        spec.commandLine().getErr().println("wrote " + rows.size() + " embeddings to " + output);
    }

    private static ObjectNode record(ObjectNode row, float[] vector) {
        ArrayNode values = row.putArray("embedding");
        for (float v : vector) {
            values.add(v);
        }
        return row;
    }

    private static String preview(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(4, v.length); i++) {
            sb.append(String.format(Locale.ROOT, "%.4f, ", v[i]));
        }
        return sb.append("…, ").append(String.format(Locale.ROOT, "%.4f", v[v.length - 1])).append(']').toString();
    }

    /**
     * Progress on stderr: on a terminal a one-line bar redrawn in place; otherwise (a log file, CI)
     * a plain line at every tenth of the work, since carriage returns and redraws garble logs.
     */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final long start = System.nanoTime();
        private final boolean terminal = System.console() != null;
        private int done;
        private int lastTenth;

        Progress(PrintWriter err, int total) {
            this.err = err;
            this.total = total;
        }

        void advance(int n) {
            done += n;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (terminal) {
                int width = 30;
                int filled = total == 0 ? width : (int) ((long) done * width / total);
                err.printf(Locale.ROOT, "\r[%s%s] %d/%d texts, %.0f texts/s", "#".repeat(filled), " ".repeat(width - filled),
                        done, total, done / Math.max(seconds, 1e-9));
            } else {
                int tenth = total == 0 ? 10 : (int) ((long) done * 10 / total);
                if (tenth == lastTenth && done < total) {
                    return;
                }
                lastTenth = tenth;
                err.printf(Locale.ROOT, "%d/%d texts, %.0f texts/s%n", done, total, done / Math.max(seconds, 1e-9));
            }
            err.flush();
        }

        void finish() {
            if (terminal) {
                err.println();
            }
        }
    }
}
