package dev.spotlight.cli;

import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.hub.HfFolder;
import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.hub.ModelResolver;
import dev.spotlight.models.llama2c.Llama2cCheckpoint;
import dev.spotlight.models.llama2c.Llama2cConverter;
import dev.spotlight.models.llama2c.Llama2cTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code spotlight convert --from onnx-jar|onnx|folder|name|llama2c INPUT --to DIR}: writes a normal
 * Hugging Face folder (config.json, tokenizer.json, model.safetensors with Hugging Face names and
 * PyTorch layouts), so the ONNX exports the default models ship as, and llama2.c checkpoints, can be
 * loaded, inspected or published like any other checkpoint.
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = "Write a Hugging Face model folder (config.json, tokenizer.json, model.safetensors) "
                + "from an ONNX export, a model jar, a built-in model or a llama2.c .bin checkpoint.")
public final class ConvertCommand implements Callable<Integer> {

    enum Kind { ONNX_JAR, ONNX, FOLDER, NAME, LLAMA2C }

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "KIND",
            description = "What INPUT is: onnx-jar, onnx, folder, name or llama2c (default: guessed from INPUT).",
            converter = KindConverter.class)
    Kind from;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A model jar, an .onnx file, a model folder or a built-in name.")
    String input;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "The folder to write (created if missing).")
    Path to;

    @Option(names = "--force", description = "Overwrite files that already exist in DIR.")
    boolean force;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "llama2c: the checkpoint's tokenizer (default: tok<vocab>.bin or tokenizer.bin beside it).")
    Path tokenizer;

    @Override
    public Integer call() {
        if (Files.exists(to) && !Files.isDirectory(to)) {
            throw new ParameterException(spec.commandLine(), "--to " + to + " is a file; give the folder to write the model into");
        }
        if (from == Kind.LLAMA2C || (from == null && input.endsWith(".bin"))) {
            return llama2c();
        }
        if (tokenizer != null) {
            throw new ParameterException(spec.commandLine(), "--tokenizer is for llama2.c checkpoints (--from llama2c)");
        }
        try (ModelFiles model = open()) {
            long start = System.nanoTime();
            int tensors = HfFolder.write(model, to, force);
            ModelConfig config = model.encoderConfig();
            spec.commandLine().getOut().printf("wrote %s to %s: %d tensors, %s, %d layers, hidden %d, %d heads (%.1f s)%n",
                    model.name(), to, tensors, HfFolder.files(model), config.numHiddenLayers(),
                    config.hiddenSize(), config.numAttentionHeads(), (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    private int llama2c() {
        Path bin = Path.of(input);
        requireFile(bin, ".bin");
        long start = System.nanoTime();
        try (Llama2cCheckpoint checkpoint = Llama2cCheckpoint.open(bin)) {
            int vocab = checkpoint.config().vocabSize();
            Path tok = tokenizer != null ? tokenizer : ModelResolver.llama2cTokenizer(bin, vocab);
            int tensors = Llama2cConverter.write(checkpoint, Llama2cTokenizer.read(tok, vocab), to, force);
            spec.commandLine().getOut().printf("wrote %s to %s: %d tensors, %s, %s (%.1f s)%n", bin.getFileName(), to,
                    tensors, Llama2cConverter.FILES, checkpoint.config().describe(), (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    private ModelFiles open() {
        if (from == null) {
            return ModelResolver.resolve(input);
        }
        Path path = Path.of(input);
        return switch (from) {
            case ONNX_JAR -> {
                requireFile(path, ".jar");
                yield ModelResolver.jar(path, null);
            }
            case ONNX -> {
                requireFile(path, ".onnx");
                yield ModelResolver.onnxFile(path);
            }
            case FOLDER -> {
                if (!Files.isDirectory(path)) {
                    throw new ParameterException(spec.commandLine(), input + ": not a folder");
                }
                yield ModelResolver.folder(path);
            }
            case NAME -> ModelResolver.resolve(input);
            case LLAMA2C -> throw new IllegalStateException("llama2c is converted by llama2c()");
        };
    }

    private void requireFile(Path path, String extension) {
        if (!Files.isRegularFile(path) || !path.getFileName().toString().endsWith(extension)) {
            throw new ParameterException(spec.commandLine(), input + ": expected an existing " + extension + " file"
                    + (from == null ? "" : " for --from " + from.name().toLowerCase().replace('_', '-')));
        }
    }

    static final class KindConverter implements picocli.CommandLine.ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            for (Kind k : Kind.values()) {
                if (k.name().toLowerCase().replace('_', '-').equals(value)) {
                    return k;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of onnx-jar, onnx, folder, name, llama2c");
        }
    }
}
