package dev.spotlight.spark;

import dev.spotlight.models.ModelException;
import dev.spotlight.tokenizers.TokenizerException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;

/** What a stage computes for a batch of texts on an executor: one output value per text. */
interface BatchKernel extends Serializable {

    /**
     * One output column value per text (a Row for a struct column, a Vector, an array, a string), null
     * for a row the stage leaves without output (its second input is null), or an {@link Invalid} for
     * a text the stage refuses (an over-long text under {@code truncate=false}, an input the pipeline
     * rejects); throws only when the batch as a whole fails.
     *
     * @param texts never null, never containing null
     * @param pairs the second column's values, or null for stages without one: a String for a string
     *              column, a {@code List<String>} for an array&lt;string&gt; column; an element may be null
     */
    Object[] run(StageSettings settings, List<String> texts, List<?> pairs);

    /** The second column of a stage whose second column is a string column. */
    @SuppressWarnings("unchecked")
    static List<String> strings(List<?> pairs) {
        return (List<String>) pairs;
    }

    /** One row's output; an input the library refuses (its one-line message) makes the row invalid. */
    static <T> Object orInvalid(T input, Function<T, Object> compute) {
        try {
            return compute.apply(input);
        } catch (IllegalArgumentException | ModelException | TokenizerException e) {
            return new Invalid(e.getMessage());
        }
    }

    /** A text this stage refuses, and why, in words that name the option or the input that decided it. */
    record Invalid(String reason) {
    }
}
