package dev.spotlight.models.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * transformers' tojson filter: Python's {@code json.dumps(x, ensure_ascii=False, indent=None,
 * separators=None, sort_keys=False)} with those options exposed. Default separators are ", " and ": ",
 * or "," and ": " with an indent; floats print as Python's repr, NaN and Infinity unquoted; a value JSON
 * cannot hold (Undefined, a generator, a namespace) is a TypeError, as in Python.
 */
final class PyJson {
    private final boolean asciiOnly;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    private PyJson(boolean asciiOnly, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.asciiOnly = asciiOnly;
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    static String dumps(Object value, Args args) {
        args.allow("tojson", 4, "ensure_ascii", "indent", "separators", "sort_keys");
        boolean ascii = PyValues.truthy(args.get(0, "ensure_ascii", false));
        Object indentArg = args.get(1, "indent", null);
        String indent = switch (indentArg) {
            case null -> null;
            case String s -> s;
            case Long n -> " ".repeat((int) Math.max(0, Filters.bounded(n, "tojson indent")));
            case Boolean b -> " ".repeat(b ? 1 : 0);
            default -> throw TemplateError.type("tojson indent must be an int or a str, not " + PyValues.typeName(indentArg));
        };
        Object separators = args.get(2, "separators", null);
        String item = indent == null ? ", " : ",";
        String key = ": ";
        if (separators != null) {
            List<Object> pair = PyValues.iterate(separators);
            if (pair.size() != 2 || !(pair.get(0) instanceof String a) || !(pair.get(1) instanceof String b)) {
                throw TemplateError.value("tojson separators must be a pair of strings (item separator, key separator)");
            }
            item = a;
            key = b;
        }
        StringBuilder sb = new StringBuilder();
        new PyJson(ascii, indent, item, key, PyValues.truthy(args.get(3, "sort_keys", false))).write(value, 0, sb);
        return sb.toString();
    }

    private void write(Object v, int level, StringBuilder sb) {
        if (sb.length() > PyOps.MAX_SIZE) {
            throw new TemplateError("MemoryError", "tojson output exceeds " + PyOps.MAX_SIZE + " characters");
        }
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b);
            case Long l -> sb.append(l);
            case Double d -> sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyFloat.repr(d));
            case String s -> string(s, sb);
            case List<?> l -> array(l, level, sb);
            case PyTuple t -> array(t.items(), level, sb);
            case Map<?, ?> m -> object(m, level, sb);
            default -> throw TemplateError.type("Object of type " + PyValues.typeName(v) + " is not JSON serializable");
        }
    }

    private void newline(int level, StringBuilder sb) {
        if (indent != null) {
            sb.append('\n').append(indent.repeat(level));
        }
    }

    private void array(List<?> items, int level, StringBuilder sb) {
        if (items.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(itemSeparator);
            }
            newline(level + 1, sb);
            write(items.get(i), level + 1, sb);
        }
        newline(level, sb);
        sb.append(']');
    }

    private void object(Map<?, ?> map, int level, StringBuilder sb) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) {
            entries.sort((a, b) -> PyValues.compare(a.getKey(), b.getKey(), "<"));
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : entries) {
            if (!first) {
                sb.append(itemSeparator);
            }
            first = false;
            newline(level + 1, sb);
            string(key(e.getKey()), sb);
            sb.append(keySeparator);
            write(e.getValue(), level + 1, sb);
        }
        newline(level, sb);
        sb.append('}');
    }

    /** JSON object keys as Python converts them: str as is, numbers, booleans and None as their JSON text. */
    private static String key(Object k) {
        return switch (k) {
            case String s -> s;
            case Boolean b -> b.toString();
            case Long l -> l.toString();
            case Double d -> PyFloat.repr(d);
            case null -> "null";
            default -> throw TemplateError.type("keys must be str, int, float, bool or None, not " + PyValues.typeName(k));
        };
    }

    private void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7E)) {
                        sb.append(String.format("\\u%04x", (int) c));  // a non-BMP character: its surrogate pair, as Python
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
