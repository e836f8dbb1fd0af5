package dev.spotlight.models.chat;

import java.util.Iterator;

/**
 * A Python generator or iterator, as jinja2's map, select, selectattr, reject, rejectattr, unique, items and
 * reverse filters return: consumed once, always true (even when empty, as in Python), no length, and
 * Python prints its memory address, so printing one is refused rather than invented.
 */
final class PyIterator {
    final Iterator<Object> source;
    final String kind;

    PyIterator(Iterator<Object> source, String kind) {
        this.source = source;
        this.kind = kind;
    }
}
