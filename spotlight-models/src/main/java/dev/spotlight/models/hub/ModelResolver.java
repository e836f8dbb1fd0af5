package dev.spotlight.models.hub;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.config.ArchitectureConfig;
import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.llama2c.Llama2cCheckpoint;
import dev.spotlight.models.llama2c.Llama2cTokenizer;
import dev.spotlight.models.weights.OnnxWeights;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.Weights;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Turns what a user typed into {@link ModelFiles}: a built-in name ({@link BuiltinModel}, from the
 * classpath), a Hugging Face model folder (config.json, tokenizer.json, model.safetensors or its
 * sharded index, or model.onnx), an .onnx file with its tokenizer beside it, or a model jar.
 */
public final class ModelResolver {
    private static final long MAX_JSON_BYTES = 64L << 20;   // tokenizer.json of large vocabularies is ~20 MB

    private ModelResolver() {
    }

    /** {@code null} or blank means the default built-in model. */
    public static ModelFiles resolve(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            return builtin(BuiltinModel.DEFAULT);
        }
        Path path = null;
        try {
            path = Path.of(nameOrPath);
        } catch (InvalidPathException ignored) {
            // not a path; may still be a built-in name
        }
        if (path == null || !Files.exists(path)) {
            return builtin(BuiltinModel.named(nameOrPath).orElseThrow(() -> new ModelFormatException("unknown model '"
                    + nameOrPath + "': not a built-in name (" + String.join(", ", BuiltinModel.ids())
                    + ") nor an existing model folder, .onnx file or .jar file")));
        }
        if (Files.isDirectory(path)) {
            return folder(path);
        }
        String file = path.getFileName().toString();
        if (file.endsWith(".onnx")) {
            return onnxFile(path);
        }
        if (file.endsWith(".jar")) {
            return jar(path, null);
        }
        if (file.endsWith(".safetensors") || file.endsWith(".safetensors.index.json")) {
            return folder(path.toAbsolutePath().getParent());
        }
        if (file.endsWith(".bin")) {
            return llama2c(path, null);
        }
        throw new ModelFormatException(path + ": expected a model folder, an .onnx file, a .jar file, a llama2.c .bin"
                + " checkpoint or a built-in name (" + String.join(", ", BuiltinModel.ids()) + ")");
    }

    /** A built-in model from the jar on the classpath that holds its resources. */
    public static ModelFiles builtin(BuiltinModel model) {
        URL onnx = ModelResolver.class.getClassLoader().getResource(model.onnxResource());
        if (onnx == null) {
            throw new ModelFormatException("built-in model '" + model.id() + "': " + model.onnxResource()
                    + " is not on the classpath; add the Maven dependency " + model.mavenArtifact());
        }
        try {
            if (onnx.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) onnx.openConnection();
                connection.setUseCaches(false);
                URL jarFile = connection.getJarFileURL();
                if (jarFile.getProtocol().equals("file")) {
                    return jar(Path.of(jarFile.toURI()), model);
                }
            } else if (onnx.getProtocol().equals("file")) {
                return onnxFile(Path.of(onnx.toURI()));
            }
        } catch (IOException | URISyntaxException e) {
            throw new ModelFormatException("built-in model '" + model.id() + "': cannot open " + onnx + ": " + e.getMessage(), e);
        }
        return streamed(model);
    }

    /**
     * Any other classpath (a jar nested in a fat jar, a custom class loader): the resources are
     * read into memory, as there is no file to map.
     */
    static ModelFiles streamed(BuiltinModel model) {
        byte[] tokenizer = resource(model.tokenizerResource(), MAX_JSON_BYTES);
        OnnxWeights weights = OnnxWeights.read(resource(model.onnxResource(), Integer.MAX_VALUE - 8),
                "classpath:" + model.onnxResource());
        try {
            return new ModelFiles(model.id(), ConfigInference.bert(weights), tokenizer, weights, model.pooling().mode(),
                    model.pooling().normalize(), null, "classpath:" + model.onnxResource(), null, null);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static byte[] resource(String name, long limit) {
        try (InputStream in = ModelResolver.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ModelFormatException("classpath:" + name + ": missing");
            }
            byte[] bytes = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
            if (in.read() >= 0) {
                throw new ModelFormatException("classpath:" + name + ": larger than the " + limit + " bytes allowed");
            }
            return bytes;
        } catch (IOException e) {
            throw new ModelFormatException("classpath:" + name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A Hugging Face folder; weights from model.safetensors(.index.json), else model.onnx or onnx/model.onnx. */
    public static ModelFiles folder(Path folder) {
        byte[] tokenizer = json(folder.resolve("tokenizer.json"), true);
        byte[] tokenizerConfig = json(folder.resolve("tokenizer_config.json"), false);
        Path onnx = Files.isRegularFile(folder.resolve("model.onnx")) ? folder.resolve("model.onnx") : folder.resolve("onnx/model.onnx");
        boolean safetensors = Files.isRegularFile(folder.resolve("model.safetensors"))
                || Files.isRegularFile(folder.resolve("model.safetensors.index.json"));
        if (!safetensors && !Files.isRegularFile(onnx)) {
            throw new ModelFormatException(folder + ": no weights, expected model.safetensors, model.safetensors.index.json"
                    + " or model.onnx");
        }
        Pooling pooling = Pooling.read(folder);
        Weights weights = safetensors ? Safetensors.open(folder) : OnnxWeights.open(onnx);
        return assemble(folder.getFileName().toString(), folder.resolve("config.json"), tokenizer, tokenizerConfig,
                weights, pooling, folder.toString());
    }

    /**
     * A llama2.c checkpoint (run.c's or runq.c's .bin) with its llama2.c tokenizer: {@code tokenizer}
     * when given, else beside the checkpoint {@code tok<vocab>.bin} (the name llama2.c gives custom
     * vocabularies) or {@code tokenizer.bin} (its default). Read as the Hugging Face Llama folder
     * {@code spotlight convert} would write.
     */
    public static ModelFiles llama2c(Path bin, Path tokenizer) {
        Llama2cCheckpoint checkpoint = Llama2cCheckpoint.open(bin);
        try {
            int vocab = checkpoint.config().vocabSize();
            Llama2cTokenizer t = Llama2cTokenizer.read(tokenizer != null ? tokenizer : llama2cTokenizer(bin, vocab), vocab);
            String stem = bin.getFileName().toString().replaceAll("\\.bin$", "");
            byte[] configJson = checkpoint.configJson().getBytes(StandardCharsets.UTF_8);
            ArchitectureConfig config = ArchitectureConfig.parse(configJson, bin + " (config)");
            return new ModelFiles(stem, config, t.tokenizerJson().getBytes(StandardCharsets.UTF_8), checkpoint.weights(),
                    Pooling.MEAN, false, t.tokenizerConfigJson(checkpoint.config().seqLen()).getBytes(StandardCharsets.UTF_8),
                    bin.toString(), checkpoint.generationConfigJson().getBytes(StandardCharsets.UTF_8), configJson);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    /** The llama2.c tokenizer beside a checkpoint: {@code tok<vocab>.bin}, else {@code tokenizer.bin}. */
    public static Path llama2cTokenizer(Path bin, int vocab) {
        Path dir = bin.toAbsolutePath().getParent();
        for (Path tok : List.of(dir.resolve("tok" + vocab + ".bin"), dir.resolve("tokenizer.bin"))) {
            if (Files.isRegularFile(tok)) {
                return tok;
            }
        }
        throw new ModelFormatException(bin + ": no llama2.c tokenizer beside it, expected tok" + vocab
                + ".bin or tokenizer.bin in " + dir + " (or name one with --tokenizer)");
    }

    /** An .onnx file; tokenizer from {@code <stem>-tokenizer.json} or tokenizer.json beside it. */
    public static ModelFiles onnxFile(Path onnx) {
        Path dir = onnx.toAbsolutePath().getParent();
        String stem = onnx.getFileName().toString().replaceAll("\\.onnx$", "");
        Path tokenizer = dir.resolve(stem + "-tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            tokenizer = dir.resolve("tokenizer.json");
        }
        if (!Files.isRegularFile(tokenizer)) {
            throw new ModelFormatException(onnx + ": no tokenizer beside it, expected " + stem + "-tokenizer.json or tokenizer.json in " + dir);
        }
        Pooling pooling = Files.isRegularFile(dir.resolve("modules.json")) ? Pooling.read(dir)
                : BuiltinModel.byResourceStem(stem).map(BuiltinModel::pooling).orElse(Pooling.read(dir));
        return assemble(stem, dir.resolve("config.json"), json(tokenizer, true), json(dir.resolve("tokenizer_config.json"), false),
                OnnxWeights.open(onnx), pooling, onnx.toString());
    }

    /**
     * A jar holding one {@code <stem>.onnx} and {@code <stem>-tokenizer.json} (or tokenizer.json) at its
     * root, as the langchain4j model jars do; config.json in the jar is used when present.
     */
    public static ModelFiles jar(Path jarPath, BuiltinModel known) {
        try (ZipFile jar = new ZipFile(jarPath.toFile())) {
            ZipEntry onnx = known != null ? jar.getEntry(known.onnxResource()) : singleOnnx(jar, jarPath);
            if (onnx == null) {
                throw new ModelFormatException(jarPath + ": no entry " + known.onnxResource());
            }
            String stem = onnx.getName().replaceAll("\\.onnx$", "");
            ZipEntry tokenizer = jar.getEntry(stem + "-tokenizer.json");
            tokenizer = tokenizer != null ? tokenizer : jar.getEntry("tokenizer.json");
            if (tokenizer == null) {
                throw new ModelFormatException(jarPath + ": no " + stem + "-tokenizer.json or tokenizer.json entry");
            }
            String source = jarPath + "!/" + onnx.getName();
            byte[] tokenizerJson = JarEntries.bytes(jar, tokenizer, jarPath + "!/" + tokenizer.getName(), MAX_JSON_BYTES);
            ZipEntry configEntry = jar.getEntry("config.json");
            ZipEntry tokenizerConfigEntry = jar.getEntry("tokenizer_config.json");
            byte[] tokenizerConfig = tokenizerConfigEntry == null ? null
                    : JarEntries.bytes(jar, tokenizerConfigEntry, jarPath + "!/tokenizer_config.json", MAX_JSON_BYTES);
            OnnxWeights weights = JarEntries.onnx(jar, onnx, jarPath.toString());
            try {
                byte[] configJson = configEntry == null ? null
                        : JarEntries.bytes(jar, configEntry, jarPath + "!/config.json", MAX_JSON_BYTES);
                ModelConfig config = configJson != null ? ModelConfig.parse(configJson, jarPath + "!/config.json")
                        : ConfigInference.bert(weights);
                Pooling pooling = known != null ? known.pooling()
                        : BuiltinModel.byResourceStem(stem).map(BuiltinModel::pooling).orElse(new Pooling(Pooling.MEAN, false));
                String name = known != null ? known.id() : stem;
                return new ModelFiles(name, config, tokenizerJson, weights, pooling.mode(), pooling.normalize(), tokenizerConfig, source,
                        null, configJson);
            } catch (RuntimeException e) {
                weights.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ModelFormatException(jarPath + ": cannot read as a jar: " + e.getMessage(), e);
        }
    }

    private static ZipEntry singleOnnx(ZipFile jar, Path jarPath) {
        List<? extends ZipEntry> found = jar.stream().filter(e -> e.getName().endsWith(".onnx") && !e.getName().contains("/")).toList();
        if (found.size() != 1) {
            throw new ModelFormatException(jarPath + ": found " + found.size() + " .onnx entries at the jar root "
                    + found.stream().map(ZipEntry::getName).toList() + ", expected exactly one");
        }
        return found.getFirst();
    }

    private static ModelFiles assemble(String name, Path configJson, byte[] tokenizer, byte[] tokenizerConfig,
                                       Weights weights, Pooling pooling, String source) {
        try {
            ArchitectureConfig config;
            byte[] configBytes = Files.isRegularFile(configJson) ? json(configJson, true) : null;
            if (configBytes != null) {
                config = ArchitectureConfig.parse(configBytes, configJson.toString());
            } else if (weights instanceof OnnxWeights onnx) {
                config = ConfigInference.bert(onnx);
            } else {
                throw new ModelFormatException(configJson + ": missing; a safetensors model needs its config.json");
            }
            byte[] generationConfig = json(configJson.resolveSibling("generation_config.json"), false);
            return new ModelFiles(name, config, tokenizer, weights, pooling.mode(), pooling.normalize(), tokenizerConfig, source,
                    generationConfig, configBytes);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static byte[] json(Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new ModelFormatException(file + ": missing");
            }
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) > MAX_JSON_BYTES) {
                throw new ModelFormatException(file + ": " + Files.size(file) + " bytes, more than the " + MAX_JSON_BYTES + " allowed");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
