package dev.spotlight.cli;

import dev.spotlight.models.hub.BuiltinModel;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.Truncation;
import dev.spotlight.tokenizers.protocol.TokenizeProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight tokenize --tokenizer FILE "text" ...}: a table per text (token, id, offsets,
 * attention mask, type id) and the padded batch; {@code --jsonl} answers one
 * {@link TokenizeProtocol} request per stdin line instead, an error answering only its line.
 */
@Command(name = "tokenize",
        mixinStandardHelpOptions = true,
        description = "Tokenize texts exactly like Hugging Face tokenizers, or answer JSONL requests (--jsonl).")
public final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE",
            description = "A tokenizer.json file, a model folder holding one, or a built-in model name (all-minilm-l6-v2, …).")
    Path tokenizerFile;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to tokenize.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--pair", paramLabel = "TEXT",
            description = "Second sequence: once for all texts, or once per text.")
    List<String> pairs = new ArrayList<>();

    @Option(names = "--padding", paramLabel = "longest|max_length",
            description = "Pad to the batch's longest, or to --max-length (default: the file's own padding).")
    String padding;

    @Option(names = "--max-length", paramLabel = "N", description = "Length for --padding max_length and --truncation.")
    Integer maxLength;

    @Option(names = "--pad-left", description = "Put padding before the tokens.")
    boolean padLeft;

    @Option(names = "--truncation", description = "Truncate to --max-length (longest first, from the right).")
    boolean truncation;

    @Option(names = "--no-special-tokens", description = "Do not add the post-processor's special tokens.")
    boolean noSpecialTokens;

    @Option(names = "--jsonl", description = "Read one JSON request per stdin line, write one JSON response per line.")
    boolean jsonl;

    @Override
    public Integer call() throws Exception {
        if (maxLength != null && maxLength < 1) {
            throw new ParameterException(spec.commandLine(), "--max-length " + maxLength + ": expected a positive number of tokens");
        }
        if (maxLength != null && !truncation && !"max_length".equals(padding)) {
            throw new ParameterException(spec.commandLine(), "--max-length is used by --truncation and --padding max_length;"
                    + " give one of them");
        }
        Tokenizer tokenizer = tokenizer();
        PrintWriter out = spec.commandLine().getOut();
        if (jsonl) {
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    out.println(TokenizeProtocol.handle(tokenizer, line));
                    out.flush();
                }
            }
            return 0;
        }
        if (texts.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give at least one TEXT, or --jsonl");
        }
        EncodeOptions options = options(tokenizer);
        List<String> second = null;
        if (!pairs.isEmpty()) {
            if (pairs.size() != 1 && pairs.size() != texts.size()) {
                throw new ParameterException(spec.commandLine(), "--pair: give one, or one per TEXT (" + texts.size() + ")");
            }
            second = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                second.add(pairs.get(pairs.size() == 1 ? 0 : i));
            }
        }
        List<Encoding> encodings = tokenizer.encodeBatch(texts, second, options);
        for (int i = 0; i < encodings.size(); i++) {
            out.println("text " + (i + 1) + ": " + quoted(texts.get(i)) + (second == null ? "" : " + " + quoted(second.get(i))));
            printTable(out, encodings.get(i));
            out.println();
        }
        out.println("ids:");
        encodings.forEach(e -> out.println("  " + row(e.ids())));
        out.println("attention_mask:");
        encodings.forEach(e -> out.println("  " + row(e.attentionMask())));
        return 0;
    }

    /** The file, the tokenizer.json in a folder, or a built-in model's tokenizer from the classpath. */
    private Tokenizer tokenizer() throws IOException {
        if (Files.isDirectory(tokenizerFile)) {
            return Tokenizer.fromFile(tokenizerFile.resolve("tokenizer.json"));
        }
        var builtin = BuiltinModel.named(tokenizerFile.toString());
        if (!Files.exists(tokenizerFile) && builtin.isPresent()) {
            try (InputStream in = BuiltinModel.class.getClassLoader().getResourceAsStream(builtin.get().tokenizerResource())) {
                if (in == null) {
                    throw new ParameterException(spec.commandLine(), "--tokenizer " + tokenizerFile + ": the built-in model's"
                            + " jar (" + builtin.get().mavenArtifact() + ") is not on the classpath");
                }
                return Tokenizer.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), builtin.get().id() + " tokenizer.json");
            }
        }
        return Tokenizer.fromFile(tokenizerFile);
    }

    private EncodeOptions options(Tokenizer tokenizer) {
        EncodeOptions options = tokenizer.defaults().withAddSpecialTokens(!noSpecialTokens);
        if (padding != null) {
            Padding base = options.padding() != null ? options.padding() : Padding.batchLongest();
            Padding p = switch (padding) {
                case "longest" -> base.withFixed(Padding.BATCH_LONGEST);
                case "max_length" -> {
                    if (maxLength == null) {
                        throw new ParameterException(spec.commandLine(), "--padding max_length needs --max-length");
                    }
                    yield base.withFixed(maxLength);
                }
                default -> throw new ParameterException(spec.commandLine(), "--padding: expected longest or max_length, found " + padding);
            };
            options = options.withPadding(p);
        }
        if (padLeft) {
            Padding base = options.padding() != null ? options.padding() : Padding.batchLongest();
            options = options.withPadding(base.withDirection(Direction.Left));
        }
        if (truncation) {
            if (maxLength == null) {
                throw new ParameterException(spec.commandLine(), "--truncation needs --max-length");
            }
            Truncation t = Truncation.of(maxLength);
            tokenizer.checkTruncation(t);
            options = options.withTruncation(t);
        }
        return options;
    }

    private static void printTable(PrintWriter out, Encoding e) {
        int width = 5;
        for (String t : e.tokens()) {
            width = Math.max(width, quoted(t).length());
        }
        width = Math.min(width, 40);
        String format = "  %4s  %-" + width + "s  %7s  %-12s  %4s  %4s%n";
        out.printf(format, "#", "token", "id", "offsets", "mask", "type");
        int[] mask = e.attentionMask();
        int[] types = e.typeIds();
        for (int i = 0; i < e.length(); i++) {
            out.printf(format, i, quoted(e.token(i)), e.id(i), "(" + e.start(i) + ", " + e.end(i) + ")", mask[i], types[i]);
        }
    }

    /** A token or text in quotes, control characters escaped so the table stays one line per token. */
    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                b.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7F) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append('"').toString();
    }

    private static String row(int[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return b.append(']').toString();
    }
}
