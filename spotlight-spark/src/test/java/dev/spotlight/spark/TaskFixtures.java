package dev.spotlight.spark;

import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.models.tasks.TaskOracleModels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The task checkpoints of spotlight-models' tests (TaskOracleModels: all-MiniLM-L6-v2's real encoder with
 * random heads: ner, qa, nli, toxic, cross-encoder, mlm), written once under target/task-oracle, and the
 * library's own model of each, loaded by the test for the reference values (the stages load theirs).
 */
final class TaskFixtures {
    private static final Map<String, TaskModel> MODELS = new HashMap<>();

    /** Sentences with names, places and organisations, then the encoder corpus: inputs for every task. */
    static final List<String> SENTENCES = List.of(
            "John Smith lives in New York and works at Microsoft.",
            "Sarah flew from Paris to Berlin on Tuesday with her sister Anna.",
            "The United Nations met in Geneva, Switzerland, to discuss climate policy.",
            "Apple released a new phone in California.",
            "naïve café owners in Zürich — 東京 🚀 e\u0301",
            "It rained.");

    private TaskFixtures() {
    }

    /** The absolute path of checkpoint {@code name}, as a stage's model option. */
    static String path(String name) {
        return TaskOracleModels.folder().resolve(name).toAbsolutePath().toString();
    }

    static synchronized TaskModel model(String name) {
        return MODELS.computeIfAbsent(name, n -> TaskModel.load(path(n)));
    }

    /** {@link #SENTENCES}, then the first {@code n} sentences of the encoder corpus. */
    static List<String> texts(int n) {
        List<String> out = new java.util.ArrayList<>(SENTENCES);
        out.addAll(LocalSpark.texts(n));
        return out;
    }
}
