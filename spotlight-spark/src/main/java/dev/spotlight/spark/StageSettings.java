package dev.spotlight.spark;

import java.io.Serializable;

/**
 * What an executor needs of a stage's params, read once on the driver: the stage object itself
 * (with its Scala param maps) never travels.
 *
 * @param stage         the stage's class and uid, as error messages name it
 * @param model         the model option as the user wrote it (see {@link ModelLocation})
 * @param batchSize     rows per batch
 * @param maxLength     tokens per text, special tokens included; 0 = the model's (tokenizer's) own
 *                      (always 0 for the stages without the param: tasks and generation)
 * @param truncate      whether an over-long text is cut to maxLength (true) or is an invalid row
 * @param nullOnError   whether an invalid row gets null outputs (true) or fails the task
 * @param textIndex     the input column's index in the row
 * @param pairIndex     the second input column's index (pair text, context, passage, labels), or -1
 * @param errorColumn   whether rows carry an error message column after the outputs
 * @param threadsPerTask threads of the packed engine per task; 0 = the task's CPUs (spark.task.cpus)
 */
record StageSettings(String stage, String model, int batchSize, int maxLength, boolean truncate,
                     boolean nullOnError, int textIndex, int pairIndex, boolean errorColumn,
                     int threadsPerTask) implements Serializable {

    /** "SpotlightEmbedder(uid) option=value: what": the one-line shape of every error a stage raises. */
    String error(String option, Object value, String what) {
        return stage + " " + option + "='" + value + "': " + what;
    }
}
