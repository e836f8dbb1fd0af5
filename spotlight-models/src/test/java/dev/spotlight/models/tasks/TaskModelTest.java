package dev.spotlight.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.hub.ModelResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head is chosen by config.json's architectures and checked against the weights; every mismatch is one line. */
class TaskModelTest {
    @TempDir
    Path dir;

    private static String error(Runnable r) {
        Exception e = assertThrows(RuntimeException.class, r::run);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void architecturesChooseTheHead() {
        for (Task task : Task.values()) {
            String architecture = "Bert" + task.architectureHint().substring(1);
            try (TaskModel m = TinyTasks.model(dir.resolve(task.name()), architecture, List.of("a", "b"))) {
                assertEquals(task, m.task());
                assertEquals(List.of("a", "b"), m.labels());
            }
        }
        try (TaskModel m = TinyTasks.model(dir.resolve("pre"), "BertForPreTraining", List.of("a", "b"))) {
            assertEquals(Task.MASKED_LM, m.task());
        }
    }

    @Test
    void anEmbeddingModelHasNoTaskHead() {
        Path folder = TinyTasks.folder(dir, "BertModel", List.of("a", "b"), c -> { });
        String message = error(() -> TaskModel.from(ModelResolver.folder(folder), Task.TOKEN_CLASSIFICATION));
        assertTrue(message.endsWith("config.json architectures [BertModel] names no task head, expected …ForTokenClassification"
                + " for token classification (an embedding model has none; use spotlight embed)"), message);
        assertTrue(error(() -> TaskModel.load("all-minilm-l6-v2", Task.TOKEN_CLASSIFICATION))
                .contains("no config.json, so no task head: a task model needs config.json with architectures (e.g."
                        + " …ForTokenClassification) and id2label"));
    }

    @Test
    void aModelWithAnotherHeadIsRefusedForThisTask() {
        Path folder = TinyTasks.folder(dir, "BertForQuestionAnswering", List.of("a", "b"), c -> { });
        String message = error(() -> TaskModel.from(ModelResolver.folder(folder), Task.TOKEN_CLASSIFICATION));
        assertTrue(message.endsWith("config.json architectures [BertForQuestionAnswering] is a question answering model, expected"
                + " …ForTokenClassification for token classification"), message);
    }

    @Test
    void moreLabelsInConfigThanClassifierRowsIsRefused() throws IOException {
        Path folder = TinyTasks.folder(dir, "BertForTokenClassification", List.of("O", "B-X", "I-X"), c -> { });
        Path other = TinyTasks.folder(dir.resolve("five"), "BertForTokenClassification", List.of("1", "2", "3", "4", "5"), c -> { });
        Files.copy(other.resolve("config.json"), folder.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String message = error(() -> TaskModel.from(ModelResolver.folder(folder), null));
        assertTrue(message.endsWith("tensor classifier.weight has shape [3, 8] but config.json (BertForTokenClassification) has 5"
                + " labels (id2label / num_labels) and hidden size 8, expected [5, 8]"), message);
    }

    @Test
    void aMissingHeadTensorIsNamed() throws IOException {
        Path folder = TinyTasks.folder(dir, "RobertaForSequenceClassification", List.of("a", "b"), c -> c.put("model_type", "roberta")
                .put("pad_token_id", 1));
        String message = error(() -> TaskModel.from(ModelResolver.folder(folder), null));
        assertTrue(message.endsWith("tensor classifier.out_proj.weight is missing: config.json says RobertaForSequenceClassification,"
                + " whose head needs it (is this a base model without that head?)"), message);
    }

    @Test
    void labelsComeFromId2labelOrNumLabelsAndMustBeContiguous() {
        Path folder = TinyTasks.folder(dir, "BertForSequenceClassification", List.of("a", "b"), c -> c.remove("id2label"));
        try (TaskModel m = TaskModel.from(ModelResolver.folder(folder), null)) {
            assertEquals(List.of("LABEL_0", "LABEL_1"), m.labels());
        }
        Path gap = TinyTasks.folder(dir.resolve("gap"), "BertForSequenceClassification", List.of("a", "b"),
                c -> c.putObject("id2label").put("0", "a").put("2", "b"));
        assertTrue(error(() -> TaskModel.from(ModelResolver.folder(gap), null))
                .endsWith("config.json: id2label has 2 entries but no class index 1, expected the indices 0..1"));
        Path problem = TinyTasks.folder(dir.resolve("p"), "BertForSequenceClassification", List.of("a", "b"),
                c -> c.put("problem_type", "ranking"));
        assertTrue(error(() -> TaskModel.from(ModelResolver.folder(problem), null)).endsWith("config.json: problem_type \"ranking\""
                + " is not one of [regression, single_label_classification, multi_label_classification]"));
    }

    @Test
    void aPipelineRefusesAModelOfAnotherTask() {
        try (TaskModel m = TinyTasks.model(dir, "BertForMaskedLM", List.of("a", "b"))) {
            assertEquals("MASKED_LM is a masked language modelling model, expected …ForTokenClassification".replace("MASKED_LM",
                    m.name()), assertThrows(IllegalArgumentException.class, () -> new TokenClassification(m)).getMessage());
        }
    }
}
