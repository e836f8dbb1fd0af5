package dev.spotlight.view.html;

import java.util.List;

/**
 * A set of tokens of one sequence to mark in the viewer, e.g. a task's answer: the entity tokens, an
 * answer span, or the question tokens the answer attended to most. {@code tokens} index the
 * sequence's real tokens (0 = its first token, as in {@code tokens} of the data object).
 */
public record TokenMark(String label, List<Integer> tokens) {
    public TokenMark {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a token mark needs a label");
        }
        tokens = List.copyOf(tokens);
    }
}
