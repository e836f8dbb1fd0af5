package dev.spotlight.spark;

import java.io.Serializable;
import java.util.List;

/** What a stage computes for a batch of texts on an executor: one output value per text. */
interface BatchKernel extends Serializable {

    /**
     * One output column value per text (a Row for a struct column, a Vector, an array), or an
     * {@link Invalid} for a text the stage refuses on its own (an over-long text under
     * {@code truncate=false}); throws only when the batch as a whole fails.
     *
     * @param texts never null, never containing null
     * @param pairs the pair texts (an element may be null: that text has no pair), or null for none
     */
    Object[] run(StageSettings settings, List<String> texts, List<String> pairs);

    /** A text this stage refuses, and why, in words that name the option that decided it. */
    record Invalid(String reason) {
    }
}
