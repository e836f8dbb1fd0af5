package dev.spotlight.models.chat;

import java.util.List;
import java.util.Map;

/** The arguments of a call, filter or test: positional ones, then keyword ones in call order. */
record Args(List<Object> positional, Map<String, Object> named) {
    static final Args NONE = new Args(List.of(), Map.of());

    int size() {
        return positional.size();
    }

    /** The argument at {@code index}, else the keyword {@code name}, else {@code fallback}. */
    Object get(int index, String name, Object fallback) {
        if (index < positional.size()) {
            if (name != null && named.containsKey(name)) {
                throw TemplateError.type("got multiple values for argument '" + name + "'");
            }
            return positional.get(index);
        }
        return name != null && named.containsKey(name) ? named.get(name) : fallback;
    }

    /** A parameter without a default: Python's TypeError when it is not passed. */
    Object required(int index, String name, String function) {
        Object v = get(index, name, Scope.MISSING);
        if (v == Scope.MISSING) {
            throw TemplateError.type(function + "() missing required argument: '" + name + "'");
        }
        return v;
    }

    /** Fails unless at most {@code max} positional arguments and only the given keywords were passed. */
    Args allow(String function, int max, String... keywords) {
        if (positional.size() > max) {
            throw TemplateError.type(function + "() takes at most " + max + " argument(s), got " + positional.size());
        }
        for (String k : named.keySet()) {
            if (!List.of(keywords).contains(k)) {
                throw TemplateError.type(function + "() got an unexpected keyword argument '" + k + "'");
            }
        }
        return this;
    }
}
