package dev.spotlight.models.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/** jinja2's {@code namespace()}: the one object a template may change, by {@code {% set ns.attr = … %}}. */
final class Namespace {
    final Map<String, Object> attributes = new LinkedHashMap<>();

    @Override
    public String toString() {
        return "<Namespace " + PyValues.repr(attributes) + ">";
    }
}
