package dev.spotlight.cli;

import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.hub.HfFolder;
import dev.spotlight.models.hub.ModelFiles;
import dev.spotlight.models.hub.ModelResolver;
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
 * {@code spotlight convert --from onnx-jar|onnx|folder|name INPUT --to DIR}: writes a normal
 * Hugging Face folder (config.json, tokenizer.json, model.safetensors with Hugging Face names and
 * PyTorch layouts), so the ONNX exports the default models ship as can be loaded, inspected or
 * published like any other checkpoint.
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = "Write a Hugging Face model folder (config.json, tokenizer.json, model.safetensors) "
                + "from an ONNX export, a model jar or a built-in model.")
public final class ConvertCommand implements Callable<Integer> {

    enum Kind { ONNX_JAR, ONNX, FOLDER, NAME }

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "KIND",
            description = "What INPUT is: onnx-jar, onnx, folder or name (default: guessed from INPUT).",
            converter = KindConverter.class)
    Kind from;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A model jar, an .onnx file, a model folder or a built-in name.")
    String input;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "The folder to write (created if missing).")
    Path to;

    @Option(names = "--force", description = "Overwrite files that already exist in DIR.")
    boolean force;

    @Override
    public Integer call() {
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
        };
    }

    private void requireFile(Path path, String extension) {
        if (!Files.isRegularFile(path) || !path.getFileName().toString().endsWith(extension)) {
            throw new ParameterException(spec.commandLine(), input + ": expected an existing " + extension + " file for --from "
                    + from.name().toLowerCase().replace('_', '-'));
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
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of onnx-jar, onnx, folder, name");
        }
    }
}
