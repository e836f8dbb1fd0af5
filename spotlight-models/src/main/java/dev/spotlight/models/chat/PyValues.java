package dev.spotlight.models.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's semantics for the values a template sees: None is Java null, bool Boolean, int Long, float
 * Double, str String, list List, dict Map (insertion order), tuple {@link PyTuple}. Truth, str(), repr(),
 * ==, ordering, iteration, len() and {@code in} behave as in CPython 3.11, because jinja2 delegates all
 * of them to Python.
 */
final class PyValues {
    private PyValues() {
    }

    /** Converts caller values (Java collections, boxed numbers, Jackson nodes) to the template's value model. */
    static Object fromJava(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Double d -> d;
            case Float f -> (double) f;
            case BigInteger b when b.bitLength() < 64 -> b.longValue();
            case BigDecimal b -> b.doubleValue();
            case com.fasterxml.jackson.databind.JsonNode n -> fromJson(n);
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(fromJava(k), fromJava(x)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(x -> out.add(fromJava(x)));
                yield out;
            }
            case PyTuple t -> t;
            case BigInteger b -> throw TemplateError.unsupported("an integer beyond 64 bits (" + b + ")");
            default -> throw TemplateError.type("a chat template variable cannot be a " + v.getClass().getName());
        };
    }

    private static Object fromJson(com.fasterxml.jackson.databind.JsonNode n) {
        if (n.isObject()) {
            Map<Object, Object> out = new LinkedHashMap<>();
            n.properties().forEach(e -> out.put(e.getKey(), fromJson(e.getValue())));
            return out;
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            n.forEach(x -> out.add(fromJson(x)));
            return out;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : n.asDouble();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        return null;
    }

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case PyTuple t -> !t.items().isEmpty();
            case DictView d -> !d.map().isEmpty();
            case PyRange r -> r.length() > 0;
            case Undefined u -> false;
            default -> true;  // generators, namespaces, callables: always true in Python
        };
    }

    /** Python's type name, for messages. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case PyTuple t -> "tuple";
            case DictView d -> "dict_" + d.kind();
            case PyRange r -> "range";
            case PyIterator i -> i.kind;
            case Namespace n -> "Namespace";
            case Undefined u -> "Undefined";
            case LoopContext l -> "LoopContext";
            default -> "function";
        };
    }

    /** Python's str(): what {{ value }} and ~ print. Undefined prints as nothing. */
    static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> s;
            case Undefined u -> "";
            case PyIterator i -> throw TemplateError.unsupported("printing a " + i.kind + " (Python prints its memory address; add | list)");
            case PyCallable c -> throw TemplateError.unsupported("printing " + c.describe() + " (Python prints its memory address)");
            default -> repr(v);
        };
    }

    /** Python's repr(), as str() shows the items of a list or dict. */
    static String repr(Object v) {
        return switch (v) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> PyFloat.repr(d);
            case String s -> PyStrings.repr(s);
            case List<?> l -> join(l, "[", "]");
            case PyTuple t -> t.items().size() == 1 ? "(" + repr(t.items().getFirst()) + ",)" : join(t.items(), "(", ")");
            case Map<?, ?> m -> {
                StringBuilder sb = new StringBuilder("{");
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (sb.length() > 1) {
                        sb.append(", ");
                    }
                    sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                }
                yield sb.append('}').toString();
            }
            case Undefined u -> "Undefined";
            case DictView d -> d.toString();
            case PyRange r -> r.toString();
            case Namespace n -> n.toString();
            default -> str(v);
        };
    }

    private static String join(List<?> items, String open, String close) {
        StringBuilder sb = new StringBuilder(open);
        for (int i = 0; i < items.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(repr(items.get(i)));
        }
        return sb.append(close).toString();
    }

    /** Python's ==: numbers by value (True == 1 == 1.0), containers item by item, lists never equal tuples. */
    static boolean eq(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return toDouble(a) == toDouble(b);
            }
            return toLong(a) == toLong(b);
        }
        if (a == null || b == null) {
            return false;
        }
        return switch (a) {
            case String s -> s.equals(b);
            case List<?> l -> b instanceof List<?> m && listEq(l, m);
            case PyTuple t -> b instanceof PyTuple u && listEq(t.items(), u.items());
            case Map<?, ?> m -> b instanceof Map<?, ?> n && mapEq(m, n);
            case Undefined u -> b instanceof Undefined;
            case PyRange r -> b instanceof PyRange q && listEq(iterate(r), iterate(q));
            default -> a.equals(b);
        };
    }

    private static boolean listEq(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!eq(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean mapEq(Map<?, ?> a, Map<?, ?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<?, ?> e : a.entrySet()) {
            if (!b.containsKey(e.getKey()) || !eq(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Python's ordering (<, >): numbers, strings by code point, lists and tuples item by item; else TypeError. */
    static int compare(Object a, Object b, String op) {
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                double x = toDouble(a);
                double y = toDouble(b);
                return x < y ? -1 : x > y ? 1 : 0;
            }
            return Long.compare(toLong(a), toLong(b));
        }
        if (a instanceof String s && b instanceof String t) {
            return PyStrings.compare(s, t);
        }
        if (a instanceof List<?> l && b instanceof List<?> m) {
            return compareLists(l, m, op);
        }
        if (a instanceof PyTuple l && b instanceof PyTuple m) {
            return compareLists(l.items(), m.items(), op);
        }
        if (a instanceof Undefined u) {
            throw u.fail();
        }
        if (b instanceof Undefined u) {
            throw u.fail();
        }
        throw TemplateError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    private static int compareLists(List<?> a, List<?> b, String op) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!eq(a.get(i), b.get(i))) {
                return compare(a.get(i), b.get(i), op);
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    /** An int (or bool) as Python's index operations take it; anything else is Python's TypeError. */
    static long toLong(Object v) {
        return switch (v) {
            case Boolean b -> b ? 1 : 0;
            case Long l -> l;
            case Undefined u -> throw u.fail();
            case null, default -> throw TemplateError.type("'" + typeName(v) + "' object cannot be interpreted as an integer");
        };
    }

    static double toDouble(Object v) {
        return v instanceof Double d ? d : toLong(v);
    }

    /** Python's iter(): the items a for loop sees; strings by code point, dicts by key. */
    static List<Object> iterate(Object v) {
        return switch (v) {
            case null -> throw TemplateError.type("'NoneType' object is not iterable");
            case List<?> l -> new ArrayList<>(l);
            case PyTuple t -> t.items();
            case String s -> PyStrings.codePoints(s);
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case DictView d -> d.items();
            case PyRange r -> {
                List<Object> out = new ArrayList<>((int) r.length());
                for (long i = 0; i < r.length(); i++) {
                    out.add(r.get(i));
                }
                yield out;
            }
            case PyIterator i -> {
                List<Object> out = new ArrayList<>();
                i.source.forEachRemaining(out::add);
                yield out;
            }
            case Undefined u -> new ArrayList<>();
            default -> throw TemplateError.type("'" + typeName(v) + "' object is not iterable");
        };
    }

    /** A lazy iterator where Python would iterate lazily (generators stay one-shot). */
    static Iterator<Object> iterator(Object v) {
        return v instanceof PyIterator i ? i.source : iterate(v).iterator();
    }

    /** Python's len(); Undefined has length 0. */
    static long length(Object v) {
        return switch (v) {
            case null -> throw TemplateError.type("object of type 'NoneType' has no len()");
            case String s -> s.codePointCount(0, s.length());
            case List<?> l -> l.size();
            case PyTuple t -> t.items().size();
            case Map<?, ?> m -> m.size();
            case DictView d -> d.map().size();
            case PyRange r -> r.length();
            case Undefined u -> 0;
            case Namespace n -> throw TemplateError.type("object of type 'Namespace' has no len()");
            default -> throw TemplateError.type("object of type '" + typeName(v) + "' has no len()");
        };
    }

    /** Python's hash() precondition: lists, dicts and views cannot be dict keys or set items, nor tuples holding them. */
    static void requireHashable(Object v) {
        switch (v) {
            case List<?> l -> throw TemplateError.type("unhashable type: 'list'");
            case Map<?, ?> m -> throw TemplateError.type("unhashable type: 'dict'");
            case DictView d -> throw TemplateError.type("unhashable type: '" + typeName(d) + "'");
            case PyStrings.Slice s -> throw TemplateError.type("unhashable type: 'slice'");
            case PyTuple t -> t.items().forEach(PyValues::requireHashable);
            case null, default -> { }
        }
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        return switch (container) {
            case String s -> {
                if (!(item instanceof String t)) {
                    throw TemplateError.type("'in <string>' requires string as left operand, not " + typeName(item));
                }
                yield s.contains(t);
            }
            case Map<?, ?> m -> containsKey(m, item);
            case DictView d when d.kind().equals("keys") -> containsKey(d.map(), item);
            case null -> throw TemplateError.type("argument of type 'NoneType' is not iterable");
            default -> {
                Iterator<Object> it = iterator(container);
                while (it.hasNext()) {
                    if (eq(it.next(), item)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private static boolean containsKey(Map<?, ?> m, Object key) {
        requireHashable(key);
        if (m.containsKey(key)) {
            return true;
        }
        for (Object k : m.keySet()) {  // 1 == 1.0 == True are the same dict key in Python
            if (isNumber(k) && isNumber(key) && eq(k, key)) {
                return true;
            }
        }
        return false;
    }
}
