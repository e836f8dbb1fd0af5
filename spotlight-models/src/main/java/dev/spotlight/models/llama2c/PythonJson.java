package dev.spotlight.models.llama2c;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.List;
import java.util.Map;

/**
 * JSON text laid out as Python's {@code json.dumps(obj, indent=2)} writes it (transformers'
 * {@code save_pretrained}): {@code "key": value}, two-space indent, arrays one element per line,
 * and a trailing newline. Floats are given as {@link Raw} text in Python's repr ({@code 1e-05},
 * {@code 10000.0}), so a converted config.json reads exactly like one transformers wrote.
 */
final class PythonJson {
    /** A value written verbatim. */
    record Raw(String text) {
    }

    private PythonJson() {
    }

    /** An object of strings, integers, booleans, nulls, {@link Raw} numbers and lists of strings. */
    static String object(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            out.append("  ").append(quote(e.getKey())).append(": ");
            value(out, e.getValue());
            out.append(++i < fields.size() ? ",\n" : "\n");
        }
        return out.append("}\n").toString();
    }

    private static void value(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("null");
            case String s -> out.append(quote(s));
            case Raw r -> out.append(r.text());
            case Integer n -> out.append(n);
            case Boolean b -> out.append(b);
            case List<?> list -> {
                out.append("[\n");
                for (int i = 0; i < list.size(); i++) {
                    out.append("    ");
                    value(out, list.get(i));
                    out.append(i + 1 < list.size() ? ",\n" : "\n");
                }
                out.append("  ]");
            }
            default -> throw new IllegalArgumentException("no JSON form for " + v.getClass());
        }
    }

    /** A JSON string literal (also how messages show a token, escapes and all). */
    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
