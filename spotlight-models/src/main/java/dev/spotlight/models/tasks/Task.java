package dev.spotlight.models.tasks;

import dev.spotlight.models.config.TaskConfig;
import java.util.List;
import java.util.Optional;

/** The heads a BERT-family checkpoint can carry, named as config.json's architectures name them. */
public enum Task {
    TOKEN_CLASSIFICATION("token classification", List.of("ForTokenClassification")),
    SEQUENCE_CLASSIFICATION("sequence classification", List.of("ForSequenceClassification")),
    QUESTION_ANSWERING("question answering", List.of("ForQuestionAnswering")),
    /** BERT's pre-training checkpoints carry the same masked-LM head beside next-sentence prediction. */
    MASKED_LM("masked language modelling", List.of("ForMaskedLM", "ForPreTraining"));

    private final String description;
    private final List<String> suffixes;

    Task(String description, List<String> suffixes) {
        this.description = description;
        this.suffixes = suffixes;
    }

    public String description() {
        return description;
    }

    /** e.g. "…ForTokenClassification", for messages. */
    public String architectureHint() {
        return "…" + suffixes.getFirst();
    }

    /** The task of the first architectures entry that names one (e.g. XLMRobertaForSequenceClassification). */
    public static Optional<Task> of(TaskConfig config) {
        for (String architecture : config.architectures()) {
            for (Task task : values()) {
                if (task.suffixes.stream().anyMatch(architecture::endsWith)) {
                    return Optional.of(task);
                }
            }
        }
        return Optional.empty();
    }

    /** The architectures entry that named this task. */
    String architecture(TaskConfig config) {
        return config.architectures().stream().filter(a -> suffixes.stream().anyMatch(a::endsWith)).findFirst()
                .orElse(architectureHint());
    }
}
