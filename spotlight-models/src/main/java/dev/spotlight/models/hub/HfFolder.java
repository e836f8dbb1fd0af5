package dev.spotlight.models.hub;

import dev.spotlight.models.config.ModelConfig;
import dev.spotlight.models.weights.Safetensors;
import dev.spotlight.models.weights.TensorData;
import dev.spotlight.models.weights.Weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a model as a normal Hugging Face folder: config.json, tokenizer.json (and
 * tokenizer_config.json when the model has one), model.safetensors with Hugging Face names and
 * PyTorch layouts, and the sentence-transformers pooling files. Loading that folder gives the same
 * tensors as the source, so an ONNX export and its converted folder exercise both readers on the
 * same real weights.
 */
public final class HfFolder {
    private HfFolder() {
    }

    /** The files {@link #write} would create for {@code model}, relative to the folder. */
    public static List<String> files(ModelFiles model) {
        List<String> files = new ArrayList<>(List.of("config.json", "tokenizer.json", "model.safetensors"));
        if (model.tokenizerConfigJson() != null) {
            files.add("tokenizer_config.json");
        }
        files.addAll(Pooling.files());
        return files;
    }

    /** Existing files in {@code dir} that {@link #write} would replace. */
    public static List<Path> conflicts(ModelFiles model, Path dir) {
        return files(model).stream().map(dir::resolve).filter(Files::exists).toList();
    }

    /**
     * Writes the folder, creating {@code dir} if needed. Unless {@code force}, refuses (before
     * writing anything) when any of the files already exists, so nothing the user has is replaced
     * without asking.
     *
     * @return the number of tensors written
     */
    public static int write(ModelFiles model, Path dir, boolean force) {
        ModelConfig config = model.encoderConfig();
        List<Path> conflicts = conflicts(model, dir);
        if (!force && !conflicts.isEmpty()) {
            throw new IllegalArgumentException(conflicts.getFirst() + " already exists"
                    + (conflicts.size() > 1 ? " (and " + (conflicts.size() - 1) + " more)" : "")
                    + "; pass --force to overwrite");
        }
        try {
            Files.createDirectories(dir);
            Map<String, TensorData> tensors = tensors(model.weights());
            Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            Files.writeString(dir.resolve("config.json"), config.toJson());
            Files.write(dir.resolve("tokenizer.json"), model.tokenizerJson());
            if (model.tokenizerConfigJson() != null) {
                Files.write(dir.resolve("tokenizer_config.json"), model.tokenizerConfigJson());
            }
            new Pooling(model.pooling(), model.normalize()).write(dir, config.hiddenSize());
            return tensors.size();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every floating tensor as F32, sorted by name. Integer buffers are left out: the only one in
     * these exports, {@code embeddings.position_ids} (0..511), is a non-persistent buffer that
     * transformers rebuilds itself and no longer saves.
     */
    private static Map<String, TensorData> tensors(Weights weights) {
        Map<String, TensorData> out = new TreeMap<>();
        for (String name : weights.names()) {
            if (weights.dtype(name).convertsToFloat()) {
                out.put(name, TensorData.f32(weights.floats(name), weights.shape(name)));
            }
        }
        return out;
    }
}
