package dev.spotlight.models.llama2c;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.models.weights.Weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a llama2.c checkpoint and its tokenizer as a Hugging Face Llama folder: config.json,
 * generation_config.json, model.safetensors (F32, HF names, q/k rows permuted for rotate_half;
 * version 2 dequantized), tokenizer.json and tokenizer_config.json. transformers loads the folder
 * as {@code LlamaForCausalLM} with the same logits as run.c (up to float order).
 */
public final class Llama2cConverter {
    /** The files {@link #write} creates, relative to the folder. */
    public static final List<String> FILES = List.of("config.json", "generation_config.json", "model.safetensors",
            "tokenizer.json", "tokenizer_config.json");

    private Llama2cConverter() {
    }

    /** Opens {@code bin} and {@code tokBin} and writes the folder; see {@link #write(Llama2cCheckpoint, Llama2cTokenizer, Path, boolean)}. */
    public static int write(Path bin, Path tokBin, Path dir, boolean force) {
        try (Llama2cCheckpoint checkpoint = Llama2cCheckpoint.open(bin)) {
            Llama2cTokenizer tokenizer = Llama2cTokenizer.read(tokBin, checkpoint.config().vocabSize());
            return write(checkpoint, tokenizer, dir, force);
        }
    }

    /**
     * Writes the folder, creating {@code dir} if needed. Unless {@code force}, refuses (before
     * writing anything) when any of the {@link #FILES} exists, as {@code HfFolder.write} does.
     *
     * @return the number of tensors written
     */
    public static int write(Llama2cCheckpoint checkpoint, Llama2cTokenizer tokenizer, Path dir, boolean force) {
        if (tokenizer.vocabSize() != checkpoint.config().vocabSize()) {
            throw new ModelFormatException(tokenizer.source() + ": has " + tokenizer.vocabSize() + " tokens, but "
                    + checkpoint.path() + " has vocab_size " + checkpoint.config().vocabSize());
        }
        List<Path> conflicts = FILES.stream().map(dir::resolve).filter(Files::exists).toList();
        if (!force && !conflicts.isEmpty()) {
            throw new IllegalArgumentException(conflicts.getFirst() + " already exists"
                    + (conflicts.size() > 1 ? " (and " + (conflicts.size() - 1) + " more)" : "")
                    + "; pass --force to overwrite");
        }
        Weights weights = checkpoint.weights();
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (String name : weights.names()) {  // sorted, as the fixture and safetensors' writer store them
            tensors.put(name, TensorData.f32(weights.floats(name), weights.shape(name)));
        }
        try {
            Files.createDirectories(dir);
            Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            Files.writeString(dir.resolve("config.json"), checkpoint.configJson());
            Files.writeString(dir.resolve("generation_config.json"), checkpoint.generationConfigJson());
            Files.writeString(dir.resolve("tokenizer.json"), tokenizer.tokenizerJson());
            Files.writeString(dir.resolve("tokenizer_config.json"),
                    tokenizer.tokenizerConfigJson(checkpoint.config().seqLen()));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        return tensors.size();
    }
}
