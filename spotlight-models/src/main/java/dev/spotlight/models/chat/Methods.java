package dev.spotlight.models.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Python methods a template may call on strings, lists and dicts. A method Python has but this
 * renderer does not implement fails when looked up (never an Undefined where Python would run code),
 * and methods that change a list or dict fail as in transformers' ImmutableSandboxedEnvironment.
 */
final class Methods {
    private static final Set<String> STR = Set.of("capitalize", "casefold", "center", "count", "encode", "endswith",
            "expandtabs", "find", "format", "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit",
            "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower",
            "lstrip", "maketrans", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
            "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "translate",
            "upper", "zfill");
    private static final Set<String> LIST = Set.of("append", "clear", "copy", "count", "extend", "index", "insert", "pop",
            "remove", "reverse", "sort");
    private static final Set<String> DICT = Set.of("clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem",
            "setdefault", "update", "values");
    private static final Set<String> MUTATING = Set.of("append", "clear", "extend", "insert", "pop", "remove", "reverse",
            "sort", "popitem", "setdefault", "update");
    private static final Set<String> NUMBER = Set.of("real", "imag", "conjugate", "bit_length", "bit_count", "to_bytes",
            "from_bytes", "as_integer_ratio", "is_integer", "hex", "fromhex", "numerator", "denominator");

    private Methods() {
    }

    /** The bound method {@code obj.name}, or null when Python's object has no such attribute. */
    static PyCallable bind(Object obj, String name) {
        String type = PyValues.typeName(obj);
        boolean known = switch (obj) {
            case null -> false;
            case String s -> STR.contains(name);
            case List<?> l -> LIST.contains(name);
            case PyTuple t -> name.equals("count") || name.equals("index");
            case Map<?, ?> m -> DICT.contains(name);
            case Long l -> NUMBER.contains(name);
            case Double d -> NUMBER.contains(name);
            case Boolean b -> NUMBER.contains(name);
            default -> false;
        };
        if (!known) {
            return null;
        }
        if (MUTATING.contains(name) && (obj instanceof List<?> || obj instanceof Map<?, ?>)) {
            throw new TemplateError("SecurityError", type + "." + name + " changes the " + type
                    + ", which transformers' immutable sandbox refuses");
        }
        return new PyCallable() {
            @Override
            public Object call(Args args) {
                return switch (obj) {
                    case String s -> StringMethods.call(s, name, args);
                    case Map<?, ?> m -> dict(m, name, args);
                    case List<?> l -> sequence(l, name, args);
                    case PyTuple t -> sequence(t.items(), name, args);
                    default -> throw TemplateError.unsupported(type + "." + name + "()");
                };
            }

            @Override
            public String describe() {
                return "the method " + type + "." + name;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Object dict(Map<?, ?> m, String name, Args args) {
        Map<Object, Object> map = (Map<Object, Object>) m;
        return switch (name) {
            case "items", "keys", "values" -> {
                args.allow("dict." + name, 0);
                yield new DictView(name, map);
            }
            case "get" -> {
                args.allow("dict.get", 2);
                if (args.size() == 0) {
                    throw TemplateError.type("get expected at least 1 argument, got 0");
                }
                Object key = args.positional().getFirst();
                yield PyValues.contains(map, key) ? Access.getitem(map, key) : args.get(1, null, null);
            }
            case "copy" -> {
                args.allow("dict.copy", 0);
                yield new LinkedHashMap<>(map);
            }
            default -> throw TemplateError.unsupported("dict." + name + "()");
        };
    }

    private static Object sequence(List<?> items, String name, Args args) {
        return switch (name) {
            case "count" -> {
                args.allow(name, 1);
                yield items.stream().filter(x -> PyValues.eq(x, args.get(0, null, null))).count();
            }
            case "index" -> {
                args.allow(name, 1);
                for (int i = 0; i < items.size(); i++) {
                    if (PyValues.eq(items.get(i), args.get(0, null, null))) {
                        yield (long) i;
                    }
                }
                throw TemplateError.value(PyValues.repr(args.get(0, null, null)) + " is not in list");
            }
            case "copy" -> {
                args.allow(name, 0);
                yield new ArrayList<Object>(items);
            }
            default -> throw TemplateError.unsupported("list." + name + "()");
        };
    }

    /** str methods, by code point. */
    static final class StringMethods {
        private StringMethods() {
        }

        static Object call(String s, String name, Args args) {
            return switch (name) {
                case "strip", "lstrip", "rstrip" -> {
                    args.allow("str." + name, 1);
                    String chars = optionalString(args.get(0, null, null), name);
                    yield name.equals("strip") ? PyStrings.strip(s, chars)
                            : name.equals("lstrip") ? PyStrings.lstrip(s, chars) : PyStrings.rstrip(s, chars);
                }
                case "upper" -> none(args, name, s.toUpperCase(java.util.Locale.ROOT));
                case "lower" -> none(args, name, s.toLowerCase(java.util.Locale.ROOT));
                case "title" -> none(args, name, PyStrings.title(s));
                case "capitalize" -> none(args, name, PyStrings.capitalize(s));
                case "islower" -> none(args, name, PyStrings.isCase(s, false));
                case "isupper" -> none(args, name, PyStrings.isCase(s, true));
                case "isspace" -> none(args, name, !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace));
                case "isdigit" -> none(args, name, !s.isEmpty() && s.codePoints().allMatch(Character::isDigit));
                case "isalpha" -> none(args, name, !s.isEmpty() && s.codePoints().allMatch(Character::isLetter));
                case "isalnum" -> none(args, name, !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit));
                case "split", "rsplit" -> {
                    args.allow("str." + name, 2, "sep", "maxsplit");
                    String sep = optionalString(args.get(0, "sep", null), name);
                    long max = integer(args.get(1, "maxsplit", -1L), name);
                    yield name.equals("split") ? PyStrings.split(s, sep, max) : PyStrings.rsplit(s, sep, max);
                }
                case "splitlines" -> {
                    args.allow("str.splitlines", 0);
                    yield new ArrayList<Object>(PyStrings.splitlines(s));
                }
                case "startswith", "endswith" -> affix(s, name, args);
                case "replace" -> {
                    args.allow("str.replace", 3);
                    yield PyStrings.replace(s, string(args.get(0, null, null), name), string(args.get(1, null, null), name),
                            integer(args.get(2, null, -1L), name));
                }
                case "find", "rfind", "index", "rindex", "count" -> search(s, name, args);
                case "join" -> {
                    args.allow("str.join", 1);
                    StringBuilder sb = new StringBuilder();
                    int i = 0;
                    for (Object item : PyValues.iterate(args.get(0, null, null))) {
                        if (!(item instanceof String part)) {
                            throw TemplateError.type("sequence item " + i + ": expected str instance, " + PyValues.typeName(item) + " found");
                        }
                        sb.append(i++ == 0 ? "" : s).append(part);
                    }
                    yield sb.toString();
                }
                case "removeprefix" -> {
                    String p = string(args.allow(name, 1).get(0, null, null), name);
                    yield s.startsWith(p) ? s.substring(p.length()) : s;
                }
                case "removesuffix" -> {
                    String p = string(args.allow(name, 1).get(0, null, null), name);
                    yield !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
                }
                default -> throw TemplateError.unsupported("str." + name + "()");
            };
        }

        private static Object none(Args args, String name, Object result) {
            args.allow("str." + name, 0);
            return result;
        }

        private static Object affix(String s, String name, Args args) {
            args.allow("str." + name, 3);
            String window = PyStrings.slice(s, slice(args));
            Object affix = args.get(0, null, null);
            List<Object> options = affix instanceof PyTuple t ? t.items() : List.of(affix == null ? "" : affix);
            if (affix == null) {
                throw TemplateError.type(name + " first arg must be str or a tuple of str, not NoneType");
            }
            for (Object o : options) {
                String p = string(o, name);
                if (name.equals("startswith") ? window.startsWith(p) : window.endsWith(p)) {
                    return true;
                }
            }
            return false;
        }

        private static Object search(String s, String name, Args args) {
            args.allow("str." + name, 3);
            String sub = string(args.get(0, null, null), name);
            PyStrings.Slice range = slice(args);
            int[] bounds = range.indices(PyStrings.length(s));
            String window = PyStrings.slice(s, range);
            if (name.equals("count")) {
                if (sub.isEmpty()) {
                    return (long) PyStrings.length(window) + 1;
                }
                long n = 0;
                for (int at = window.indexOf(sub); at >= 0; at = window.indexOf(sub, at + sub.length())) {
                    n++;
                }
                return n;
            }
            int at = name.startsWith("r") ? window.lastIndexOf(sub) : window.indexOf(sub);
            if (at < 0) {
                if (name.endsWith("index")) {
                    throw TemplateError.value("substring not found");
                }
                return -1L;
            }
            return (long) Math.max(bounds[0], 0) + window.codePointCount(0, at);
        }

        private static PyStrings.Slice slice(Args args) {
            Object start = args.get(1, null, null);
            Object end = args.get(2, null, null);
            return new PyStrings.Slice(start == null ? null : integer(start, "slice"), end == null ? null : integer(end, "slice"), null);
        }

        private static String string(Object v, String method) {
            if (v instanceof String s) {
                return s;
            }
            throw TemplateError.type(method + "() argument must be str, not " + PyValues.typeName(v));
        }

        private static String optionalString(Object v, String method) {
            return v == null ? null : string(v, method);
        }

        private static long integer(Object v, String method) {
            if (PyValues.isInteger(v)) {
                return PyValues.toLong(v);
            }
            throw TemplateError.type(method + "(): '" + PyValues.typeName(v) + "' object cannot be interpreted as an integer");
        }
    }
}
