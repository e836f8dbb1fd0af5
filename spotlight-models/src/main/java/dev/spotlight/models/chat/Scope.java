package dev.spotlight.models.chat;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a render, jinja2's frames: the globals, the render's variables, the
 * template's top level, and a child for each loop iteration, macro call, with and filter block. An
 * assignment lands in the innermost frame, so a {% set %} inside a for loop is gone after the iteration
 * (and back to the outer value at the next one) while one inside an if is not: what namespace() exists for.
 */
final class Scope {
    /** What {@link #lookup} returns for a name no frame defines. */
    static final Object MISSING = new Object();

    private final Scope parent;
    private final Map<String, Object> vars = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.vars.containsKey(name)) {
                return s.vars.get(name);
            }
        }
        return MISSING;
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
