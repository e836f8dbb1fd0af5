package dev.spotlight.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import dev.spotlight.tensor.Parallel;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage over one partition, {@code batchSize} rows at a time and lazily, so an executor holds
 * one batch of a partition at any moment whatever the partition's size. Each output row is the input
 * row, then the stage's output column, then (when asked) the error column.
 *
 * <p>A null text gives a null output and no error: a missing value is data, not a failure (a stage
 * whose second column is required does the same for a null there). A text
 * that fails (a kernel's {@link BatchKernel.Invalid}, or any exception, which is traced to its row by
 * running the batch's rows one at a time) fails the task with a message naming the stage and the row,
 * or, under {@code handleInvalid=null}, gives a null output, its message in the error column when there
 * is one, and a warning in the executor's log.
 */
final class PartitionRunner implements MapPartitionsFunction<Row, Row> {
    private static final int TEXT_EXCERPT = 60;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionRunner.class);

    private final StageSettings settings;
    private final BatchKernel kernel;

    PartitionRunner(StageSettings settings, BatchKernel kernel) {
        this.settings = settings;
        this.kernel = kernel;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        engineThreads(settings.threadsPerTask());
        return new Iterator<>() {
            private Iterator<Row> ready = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!ready.hasNext() && input.hasNext()) {
                    List<Row> rows = new ArrayList<>(settings.batchSize());
                    while (rows.size() < settings.batchSize() && input.hasNext()) {
                        rows.add(input.next());
                    }
                    ready = batch(rows).iterator();
                }
                return ready.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.next();
            }
        };
    }

    /**
     * Sizes the packed engine's thread pool to what this task may use. An executor with C cores runs C
     * tasks of one CPU each (spark.task.cpus = 1) at once; left at C threads, every task's forward pass
     * would compete for the one pool (one loop holds it, the others run on their callers) and spin on 2C
     * threads over C cores. One thread per task keeps each core busy with its own batch and no
     * barriers. The pool is process-wide, which is right for an executor JVM (all its tasks have the
     * same CPUs), and in local mode also sets the driver's in-process calls.
     */
    static void engineThreads(int requested) {
        TaskContext task = TaskContext.get();
        int threads = requested > 0 ? requested : task != null ? task.cpus() : Parallel.threads();
        if (Parallel.threads() != threads) {
            Parallel.setThreads(threads);
        }
    }

    private List<Row> batch(List<Row> rows) {
        List<String> texts = new ArrayList<>();
        List<Object> pairs = settings.pairIndex() < 0 ? null : new ArrayList<>();
        List<Integer> present = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (!row.isNullAt(settings.textIndex())) {
                present.add(r);
                texts.add(row.getString(settings.textIndex()));
                if (pairs != null) {
                    pairs.add(second(row));
                }
            }
        }
        Object[] outputs = new Object[rows.size()];
        String[] errors = new String[rows.size()];
        Object[] computed = texts.isEmpty() ? new Object[0] : runIsolated(texts, pairs);
        for (int i = 0; i < computed.length; i++) {
            int r = present.get(i);
            if (computed[i] instanceof BatchKernel.Invalid invalid) {
                String message = settings.stage() + ": row with text '" + excerpt(texts.get(i)) + "': " + invalid.reason();
                if (!settings.nullOnError()) {
                    throw new SpotlightSparkException(message + " (handleInvalid=error; set it to 'null' to keep going)");
                }
                // null outputs are never silent: the reason goes to the executor's log, and to errorCol when set
                LOG.warn(message);
                errors[r] = message;
            } else {
                outputs[r] = computed[i];
            }
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            out.add(withOutputs(rows.get(r), outputs[r], errors[r]));
        }
        return out;
    }

    /** The second column's value: a String, a list of strings (an array column, elements maybe null), or null. */
    private Object second(Row row) {
        int i = settings.pairIndex();
        if (row.isNullAt(i)) {
            return null;
        }
        Object value = row.get(i);
        return value instanceof String ? value : new ArrayList<>(row.<String>getList(i));
    }

    /** The whole batch at once; when that fails, each text alone, so one bad text spoils only its row. */
    private Object[] runIsolated(List<String> texts, List<Object> pairs) {
        try {
            return kernel.run(settings, texts, pairs);
        } catch (SpotlightSparkException e) {
            throw e;    // a model that cannot be loaded spoils every row alike
        } catch (RuntimeException batchFailure) {
            Object[] out = new Object[texts.size()];
            for (int i = 0; i < texts.size(); i++) {
                try {
                    out[i] = kernel.run(settings, texts.subList(i, i + 1), pairs == null ? null : pairs.subList(i, i + 1))[0];
                } catch (SpotlightSparkException e) {
                    throw e;
                } catch (RuntimeException e) {
                    out[i] = new BatchKernel.Invalid(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            return out;
        }
    }

    private Row withOutputs(Row row, Object output, String error) {
        int n = row.length();
        Object[] values = new Object[n + (settings.errorColumn() ? 2 : 1)];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        values[n] = output;
        if (settings.errorColumn()) {
            values[n + 1] = error;
        }
        return RowFactory.create(values);
    }

    private static String excerpt(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= TEXT_EXCERPT ? flat : flat.substring(0, TEXT_EXCERPT) + "…";
    }
}
