package dev.spotlight.models;

import dev.spotlight.models.hub.ModelResolver;

/**
 * The front door:
 * <pre>{@code
 * try (var model = Spotlight.load("all-minilm-l6-v2")) {
 *     float[][] vectors = model.embed(List.of("first text", "second text"));
 * }
 * }</pre>
 * A name is a built-in model (all-minilm-l6-v2, bge-small-en-v1.5, e5-small-v2, bge-small-zh-v1.5),
 * a Hugging Face model folder, an .onnx export or a model jar.
 */
public final class Spotlight {
    private Spotlight() {
    }

    /** The default model, all-MiniLM-L6-v2. */
    public static EncoderModel load() {
        return load(null);
    }

    public static EncoderModel load(String nameOrPath) {
        return EncoderModel.from(ModelResolver.resolve(nameOrPath));
    }

    /**
     * A decoder-only language model (Llama, Mistral, Qwen2, Qwen3, GPT-2) from a Hugging Face folder
     * whose config.json names it.
     */
    public static CausalLM causalLM(String path) {
        return CausalLM.from(ModelResolver.resolve(path));
    }
}
