package dev.spotlight.models.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * jinja2 3.1's built-in filters that chat templates use, with their Python behaviour (map, select,
 * selectattr, reject, rejectattr, unique, items and reverse return one-shot generators, as in jinja2),
 * and transformers' tojson. jinja2's other filters are refused when the template is parsed.
 */
final class Filters {
    static final Set<String> SUPPORTED = Set.of("abs", "attr", "capitalize", "count", "d", "default", "dictsort",
            "first", "float", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max",
            "min", "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr", "sort", "string",
            "sum", "title", "tojson", "trim", "unique", "upper");
    /** jinja2 filters not implemented; escape, e, safe and forceescape make markupsafe Markup, whose + and ~ HTML-escape. */
    private static final Set<String> REFUSED = Set.of("batch", "center", "e", "escape", "filesizeformat", "forceescape", "format",
            "groupby", "pprint", "random", "safe", "slice", "striptags", "truncate", "urlencode", "urlize", "wordcount", "wordwrap",
            "xmlattr");

    private Filters() {
    }

    /** A filter named at run time (map's first argument): jinja2's TemplateRuntimeError if it does not exist. */
    static void checkAtRunTime(String name) {
        if (REFUSED.contains(name)) {
            throw TemplateError.unsupported("the filter '" + name + "'");
        }
        if (!SUPPORTED.contains(name)) {
            throw new TemplateError("TemplateRuntimeError", "No filter named '" + name + "'.");
        }
    }

    static void check(String name, int line) {
        if (REFUSED.contains(name)) {
            throw TemplateError.unsupported("the filter '" + name + "'").at(line);
        }
        if (!SUPPORTED.contains(name)) {
            throw TemplateError.syntax(line, "no filter named '" + name + "'");
        }
    }

    static Object apply(String name, Object v, Args args) {
        checkAtRunTime(name);
        return switch (name) {
            case "abs" -> {
                args.allow(name, 0);
                yield PyValues.compare(v, 0L, "<") < 0 ? PyOps.negate(v) : PyOps.plus(v);
            }
            case "attr" -> Access.attribute(v, PyValues.str(args.allow(name, 1, "name").required(0, "name", name)));
            case "capitalize" -> PyStrings.capitalize(text(v, args, name));
            case "count", "length" -> {
                args.allow(name, 0);
                yield PyValues.length(v);
            }
            case "d", "default" -> {
                args.allow(name, 2, "default_value", "boolean");
                boolean onFalse = PyValues.truthy(args.get(1, "boolean", false));
                yield v instanceof Undefined || (onFalse && !PyValues.truthy(v)) ? args.get(0, "default_value", "") : v;
            }
            case "dictsort" -> dictsort(v, args.allow(name, 3, "case_sensitive", "by", "reverse"));
            case "first" -> {
                args.allow(name, 0);
                Iterator<Object> it = PyValues.iterator(v);
                yield it.hasNext() ? it.next() : new Undefined("No first item, sequence was empty.");
            }
            case "last" -> {
                args.allow(name, 0);
                List<Object> items = reversible(v);
                yield items.isEmpty() ? new Undefined("No last item, sequence was empty.") : items.getLast();
            }
            case "float" -> toFloat(defined(v), args.allow(name, 1, "default").get(0, "default", 0.0));
            case "int" -> toInt(defined(v), args.allow(name, 2, "default", "base"));
            case "indent" -> indent(text(v, Args.NONE, name), args.allow(name, 3, "width", "first", "blank"));
            case "items" -> {
                args.allow(name, 0);
                if (v instanceof Undefined) {
                    yield new PyIterator(List.<Object>of().iterator(), "generator");
                }
                if (!(v instanceof Map<?, ?> m)) {  // jinja2's items is a generator: the error comes when it is iterated
                    yield new PyIterator(new java.util.Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            throw TemplateError.type("Can only get item pairs from a mapping.");
                        }

                        @Override
                        public Object next() {
                            throw TemplateError.type("Can only get item pairs from a mapping.");
                        }
                    }, "generator");
                }
                yield new PyIterator(new DictView("items", cast(m)).items().iterator(), "generator");
            }
            case "join" -> {
                args.allow(name, 2, "d", "attribute");
                Object attribute = args.get(1, "attribute", null);
                String sep = PyValues.str(args.get(0, "d", ""));
                StringBuilder sb = new StringBuilder();
                Iterator<Object> it = PyValues.iterator(v);
                for (boolean first = true; it.hasNext(); first = false) {
                    Object item = it.next();
                    sb.append(first ? "" : sep).append(PyValues.str(attribute == null ? item : Sequences.attribute(item, attribute)));
                }
                yield sb.toString();
            }
            case "list" -> {
                args.allow(name, 0);
                yield PyValues.iterate(v);
            }
            case "lower" -> text(v, args, name).toLowerCase(Locale.ROOT);
            case "upper" -> text(v, args, name).toUpperCase(Locale.ROOT);
            case "map" -> Sequences.map(v, args);
            case "max", "min" -> Sequences.extreme(v, args.allow(name, 2, "case_sensitive", "attribute"), name.equals("max"));
            case "select", "reject" -> Sequences.select(v, args, name.equals("select"), false);
            case "selectattr", "rejectattr" -> Sequences.select(v, args, name.equals("selectattr"), true);
            case "replace" -> {
                args.allow(name, 3, "old", "new", "count");
                Object count = args.get(2, "count", null);
                yield PyStrings.replace(PyValues.str(v), PyValues.str(args.required(0, "old", name)),
                        PyValues.str(args.required(1, "new", name)), count == null ? -1 : PyValues.toLong(count));
            }
            case "reverse" -> {
                args.allow(name, 0);
                if (v instanceof String s) {
                    yield PyStrings.slice(s, new PyStrings.Slice(null, null, -1L));
                }
                List<Object> items = v instanceof PyIterator ? PyValues.iterate(v) : reversible(v);
                List<Object> reversed = new ArrayList<>(items.reversed());
                yield v instanceof PyIterator ? reversed : new PyIterator(reversed.iterator(), "list_reverseiterator");
            }
            case "round" -> round(v, args.allow(name, 2, "precision", "method"));
            case "string" -> text(v, args, name);
            case "sort" -> Sequences.sort(v, args.allow(name, 3, "reverse", "case_sensitive", "attribute"));
            case "sum" -> Sequences.sum(v, args.allow(name, 2, "attribute", "start"));
            case "title" -> title(text(v, args, name));
            case "tojson" -> PyJson.dumps(v, args);
            case "trim" -> {
                Object chars = args.allow(name, 1, "chars").get(0, "chars", null);
                if (chars != null && !(chars instanceof String)) {
                    throw TemplateError.type("strip arg must be None or str, not " + PyValues.typeName(chars));
                }
                yield PyStrings.strip(PyValues.str(v), (String) chars);
            }
            case "unique" -> Sequences.unique(v, args.allow(name, 2, "case_sensitive", "attribute"));
            default -> throw new IllegalStateException(name);
        };
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> cast(Map<?, ?> m) {
        return (Map<Object, Object>) m;
    }

    /** int() and float() of Undefined fail (Undefined defines __int__ and __float__ to fail), so their filters do too. */
    private static Object defined(Object v) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        return v;
    }

    private static String text(Object v, Args args, String name) {
        args.allow(name, 0);
        return PyValues.str(v);
    }

    /** Python's reversed(): lists, tuples, strings, dicts (keys) and ranges; a generator cannot be reversed. */
    private static List<Object> reversible(Object v) {
        if (v instanceof PyIterator || v == null || PyValues.isNumber(v)) {
            throw TemplateError.type("'" + PyValues.typeName(v) + "' object is not reversible");
        }
        return PyValues.iterate(v);
    }

    private static Object dictsort(Object v, Args args) {
        if (!(v instanceof Map<?, ?> m)) {
            throw TemplateError.type("dictsort needs a dict, not " + PyValues.typeName(v));
        }
        boolean caseSensitive = PyValues.truthy(args.get(0, "case_sensitive", false));
        Object by = args.get(1, "by", "key");
        int pos = switch (PyValues.str(by)) {
            case "key" -> 0;
            case "value" -> 1;
            default -> throw new TemplateError("FilterArgumentError", "You can only sort by either \"key\" or \"value\"");
        };
        List<Object> items = new ArrayList<>(new DictView("items", cast(m)).items());
        Comparator<Object> order = (a, b) -> PyValues.compare(Sequences.sortKey(((PyTuple) a).items().get(pos), caseSensitive),
                Sequences.sortKey(((PyTuple) b).items().get(pos), caseSensitive), "<");
        items.sort(Sequences.reverseFlag(args.get(2, "reverse", false)) ? order.reversed() : order);
        return items;
    }

    /** jinja2's float filter: float(value), else the default. */
    private static Object toFloat(Object v, Object fallback) {
        return switch (v) {
            case null -> fallback;
            case Double d -> d;
            case Long l -> (double) l;
            case Boolean b -> b ? 1.0 : 0.0;
            case String s -> {
                Double d = PyFloat.parse(s);
                yield d == null ? fallback : d;
            }
            default -> fallback;
        };
    }

    /** jinja2's int filter: int(value, base) for strings, else int(float(value)), else the default. */
    private static Object toInt(Object v, Args args) {
        Object fallback = args.get(0, "default", 0L);
        long base = PyValues.toLong(args.get(1, "base", 10L));
        if (v instanceof String s) {
            try {
                return parseInt(s, (int) base);
            } catch (NumberFormatException e) {
                Double d = PyFloat.parse(s);
                if (d != null && d.isInfinite()) {
                    throw new TemplateError("OverflowError", "cannot convert float infinity to integer");
                }
                return d == null || d.isNaN() ? fallback : (long) (double) d;
            }
        }
        return switch (v) {
            case null -> fallback;
            case Long l -> l;
            case Boolean b -> b ? 1L : 0L;
            case Double d when d.isInfinite() -> throw new TemplateError("OverflowError", "cannot convert float infinity to integer");
            case Double d when !d.isNaN() -> (long) (double) d;
            default -> fallback;
        };
    }

    /** Python's int(str, base): whitespace, a sign, underscores between digits, and 0x / 0o / 0b when the base allows. */
    private static long parseInt(String text, int base) {
        String t = PyStrings.strip(text, null);
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        String lower = t.toLowerCase(Locale.ROOT);
        int prefixBase = lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : lower.startsWith("0b") ? 2 : 0;
        if (prefixBase != 0 && (base == 0 || base == prefixBase)) {
            t = t.substring(2);
            base = prefixBase;
            if (t.startsWith("_")) {
                t = t.substring(1);
            }
        } else if (base == 0) {
            if (t.length() > 1 && t.startsWith("0") && !t.replace("_", "").matches("0+")) {
                throw new NumberFormatException(text);
            }
            base = 10;
        }
        if (t.isEmpty() || t.startsWith("_") || t.endsWith("_") || t.contains("__") || base < 2 || base > 36) {
            throw new NumberFormatException(text);
        }
        long v = Long.parseLong(t.replace("_", ""), base);
        return negative ? -v : v;
    }

    /** jinja2's indent: every line but the first (and blank lines unless blank=True) gets the indent. */
    private static String indent(String s, Args args) {
        Object width = args.get(0, "width", 4L);
        String pad = width instanceof String w ? w : " ".repeat((int) Math.max(0, bounded(PyValues.toLong(width), "indent width")));
        List<String> lines = PyStrings.splitlines(s + "\n");
        StringBuilder rv = new StringBuilder();
        if (PyValues.truthy(args.get(2, "blank", false))) {
            rv.append(String.join("\n" + pad, lines));
        } else {
            rv.append(lines.getFirst());
            for (String line : lines.subList(1, lines.size())) {
                rv.append('\n').append(line.isEmpty() ? "" : pad + line);
            }
        }
        return PyValues.truthy(args.get(1, "first", false)) ? pad + rv : rv.toString();
    }

    /** A width a template may ask for; a larger one would only build huge strings, and is refused rather than cut. */
    static long bounded(long n, String what) {
        if (n > 1024) {
            throw TemplateError.unsupported("a " + what + " of " + n + " (at most 1024)");
        }
        return n;
    }

    private static Object round(Object v, Args args) {
        long precision = PyValues.toLong(args.get(0, "precision", 0L));
        String method = PyValues.str(args.get(1, "method", "common"));
        if (!PyValues.isNumber(v)) {
            throw TemplateError.type("type " + PyValues.typeName(v) + " doesn't define __round__ method");
        }
        return switch (method) {
            case "common" -> v instanceof Double d ? (Object) PyFloat.round(d, precision) : precision >= 0 ? PyValues.toLong(v)
                    : new java.math.BigDecimal(PyValues.toLong(v)).setScale((int) Math.max(precision, -19),
                    java.math.RoundingMode.HALF_EVEN).longValue();
            case "ceil", "floor" -> {
                double scale = Math.pow(10, precision);
                double x = PyValues.toDouble(v) * scale;
                yield (method.equals("ceil") ? Math.ceil(x) : Math.floor(x)) / scale;
            }
            default -> throw new TemplateError("FilterArgumentError", "method must be common, ceil or floor");
        };
    }

    /** jinja2's title filter: the first letter of each word (split at spaces, hyphens and brackets) upper-cased. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean wordStart = true;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean separator = PyStrings.isSpace(c) || "-({[<".indexOf(c) >= 0;
            if (separator) {
                sb.appendCodePoint(c);
                wordStart = true;
            } else {
                String ch = new String(Character.toChars(c));
                sb.append(wordStart ? ch.toUpperCase(Locale.ROOT) : ch.toLowerCase(Locale.ROOT));
                wordStart = false;
            }
        }
        return sb.toString();
    }
}
