package dev.spotlight.models.tasks;

import java.util.List;

/** The argument checks every pipeline shares, each failing with one line that names what is missing. */
final class Inputs {
    private Inputs() {
    }

    static void requireNonEmpty(List<?> values, String what) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " given: at least one is needed");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException(what + " " + i + " is null");
            }
        }
    }

    static void requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " is empty: question answering needs a " + what);
        }
    }
}
