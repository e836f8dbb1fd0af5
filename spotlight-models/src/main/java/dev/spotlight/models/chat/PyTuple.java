package dev.spotlight.models.chat;

import java.util.List;

/** A Python tuple: prints with parentheses and never equals a list, unlike a list with the same items. */
record PyTuple(List<Object> items) {
    PyTuple {
        items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }

    static PyTuple of(Object... items) {
        return new PyTuple(java.util.Arrays.asList(items));
    }
}
