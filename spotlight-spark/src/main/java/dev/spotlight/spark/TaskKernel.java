package dev.spotlight.spark;

import dev.spotlight.models.tasks.Task;
import dev.spotlight.models.tasks.TaskModel;
import java.util.List;
import java.util.function.Supplier;

/**
 * A stage over one of the library's task pipelines: the executor's {@link TaskModel} for the stage's
 * model, checked to carry the head the pipeline needs, then the pipeline's own call on the batch. The
 * stage computes nothing itself, so its rows are the library's results by construction.
 */
abstract class TaskKernel implements BatchKernel {
    private final Task task;

    TaskKernel(Task task) {
        this.task = task;
    }

    /** The outputs of the batch (see {@link BatchKernel#run}) with the model checked. */
    abstract Object[] run(TaskModel model, StageSettings settings, List<String> texts, List<?> pairs);

    @Override
    public final Object[] run(StageSettings settings, List<String> texts, List<?> pairs) {
        TaskModel model = ExecutorModels.taskModel(settings);
        if (model.task() != task) {
            throw new SpotlightSparkException(settings.error("model", settings.model(), "a " + model.task().description()
                    + " model (config.json architectures " + model.taskConfig().architectures() + "), expected "
                    + task.architectureHint() + " for " + task.description()));
        }
        return run(model, settings, texts, pairs);
    }

    /**
     * The pipeline over the model; a model the pipeline refuses (a reranker with several labels, an NLI
     * model without an entailment label, a masked LM without a mask token) fails the job like a model
     * that cannot be loaded, since every row would fail alike.
     */
    static <P> P pipeline(StageSettings settings, Supplier<P> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new SpotlightSparkException(settings.error("model", settings.model(), e.getMessage()), e);
        }
    }

    /**
     * The pipeline called row by row ({@code each}), in order, an input it refuses making only that row
     * invalid; a row whose second input is null is left null (with a second column: {@code pairs} non-null).
     */
    static Object[] perRow(List<String> texts, List<?> pairs, PerRow each) {
        Object[] out = new Object[texts.size()];
        for (int i = 0; i < out.length; i++) {
            Object pair = pairs == null ? null : pairs.get(i);
            if (pairs != null && pair == null) {
                continue;
            }
            out[i] = BatchKernel.orInvalid(texts.get(i), text -> each.run(text, pair));
        }
        return out;
    }

    /** The pipeline's call for one row (pair: the second input, null for stages without one). */
    @FunctionalInterface
    interface PerRow {
        Object run(String text, Object pair);
    }
}
