package dev.spotlight.spark;

import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;

/**
 * The stages over the library's task pipelines ({@code dev.spotlight.models.tasks}): each row is what
 * the pipeline gives for that row's inputs, with the pipeline's own tokenization and length rules
 * (inputs cut at the model's length, question answering in overlapping windows). There is no default
 * model: {@code model} names a fine-tuned checkpoint whose config.json has the head the task needs.
 * A batch is up to {@code batchSize} rows, the library's own {@link TaskModel#BATCH} by default.
 */
public abstract class TaskStage<S extends TaskStage<S>> extends SpotlightStage<S> {
    private final Task task;

    protected TaskStage(String uid, String defaultInputCol, String defaultOutputCol, Task task) {
        super(uid, defaultInputCol, defaultOutputCol, "", TaskModel.BATCH);
        this.task = task;
    }

    @Override
    String modelHint() {
        return "a " + task.architectureHint() + " model (a Hugging Face folder, or an .onnx file with config.json beside it)"
                + " every executor can read, or sparkfiles:NAME for one shipped with the job";
    }
}
