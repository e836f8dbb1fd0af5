package dev.spotlight.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotlight.models.ModelFormatException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.safetensors.index.json}: {@code {"weight_map": {"tensor": "model-00001-of-00002.safetensors"}}}.
 * Every shard is validated and mapped into one arena; each tensor comes from the shard the index
 * names, as transformers loads it.
 */
final class ShardedSafetensors {
    private ShardedSafetensors() {
    }

    static Weights open(Path index) {
        JsonNode weightMap = weightMap(index);
        Arena arena = Arena.ofShared();
        try {
            Map<String, Map<String, StoredTensor>> shards = new HashMap<>();
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
                String shard = shardName(index, e.getKey(), e.getValue());
                Map<String, StoredTensor> inShard = shards.computeIfAbsent(shard,
                        s -> Safetensors.read(index.resolveSibling(s), arena));
                StoredTensor t = inShard.get(e.getKey());
                if (t == null) {
                    throw new ModelFormatException(index + ": weight_map puts tensor '" + e.getKey() + "' in " + shard
                            + ", but that shard has no such tensor");
                }
                tensors.put(e.getKey(), t);
            }
            return new TensorTable(index.toString(), tensors, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static JsonNode weightMap(Path index) {
        JsonNode root;
        try {
            root = Safetensors.JSON.readTree(Files.readAllBytes(index));
        } catch (IOException e) {
            throw new ModelFormatException(index + ": not readable JSON: " + e.getMessage(), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new ModelFormatException(index + ": weight_map is " + weightMap + ", expected an object of tensor -> shard file");
        }
        return weightMap;
    }

    /** A name the file system accepts (a NUL or, on some systems, a colon is refused by Path itself). */
    private static boolean validPath(Path index, String shard) {
        try {
            index.resolveSibling(shard);
            return true;
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** Shard names must stay inside the model folder: a plain file name without control characters, never a path. */
    private static String shardName(Path index, String tensor, JsonNode value) {
        String shard = value.isTextual() ? value.asText() : null;
        if (shard == null || shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals("..")
                || shard.equals(".") || shard.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !validPath(index, shard)) {
            throw new ModelFormatException(index + ": weight_map['" + tensor + "'] is " + value
                    + ", expected a shard file name in the same folder");
        }
        if (!Files.isRegularFile(index.resolveSibling(shard))) {
            throw new ModelFormatException(index + ": weight_map['" + tensor + "'] names shard " + shard
                    + ", which does not exist");
        }
        return shard;
    }
}
