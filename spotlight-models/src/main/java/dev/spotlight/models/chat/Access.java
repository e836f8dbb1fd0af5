package dev.spotlight.models.chat;

import java.util.List;
import java.util.Map;

/**
 * jinja2's sandboxed attribute and item lookup. {@code obj.name} tries the Python attribute first (a
 * method such as dict.items or str.strip), then the item; {@code obj[key]} the item first, then the
 * attribute. Whatever is missing is {@link Undefined}; an attribute of Undefined fails, as in jinja2.
 */
final class Access {
    private Access() {
    }

    static Object getattr(Object obj, String name) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        if (name.startsWith("__")) {
            throw new TemplateError("SecurityError", "access to attribute " + PyStrings.repr(name) + " of '"
                    + PyValues.typeName(obj) + "' object is unsafe");
        }
        Object method = Methods.bind(obj, name);
        if (method != null) {
            return method;
        }
        return switch (obj) {
            case null -> new Undefined("'None' has no attribute " + PyStrings.repr(name));
            case Namespace n -> n.attributes.containsKey(name) ? n.attributes.get(name) : Undefined.attribute(n, name);
            case LoopContext l -> l.attribute(name);
            case Map<?, ?> m -> m.containsKey(name) ? m.get(name) : Undefined.attribute(obj, name);
            default -> Undefined.attribute(obj, name);
        };
    }

    /**
     * {@code obj[start:stop:step]}: jinja2 compiles slicing to plain Python, bypassing its getitem, so what
     * cannot be sliced is Python's error rather than Undefined.
     */
    @SuppressWarnings("unchecked")
    static Object slice(Object obj, PyStrings.Slice slice) {
        return switch (obj) {
            case String s -> PyStrings.slice(s, slice);
            case List<?> l -> slice.apply((List<Object>) l);
            case PyTuple t -> new PyTuple(slice.apply(t.items()));
            case Undefined u -> throw u.fail();
            case Map<?, ?> m -> throw TemplateError.type("unhashable type: 'slice'");
            case PyRange r -> throw TemplateError.unsupported("slicing a range");
            case null, default -> throw TemplateError.type("'" + PyValues.typeName(obj) + "' object is not subscriptable");
        };
    }

    /** The attr filter: the Python attribute only, never the item, so a dict key is undefined this way. */
    static Object attribute(Object obj, String name) {
        if (obj instanceof Map<?, ?>) {
            Object method = Methods.bind(obj, name);
            return method != null ? method : Undefined.attribute(obj, name);
        }
        return getattr(obj, name);
    }

    /** Stores {@code map[key] = value} as a Python dict does: 1, 1.0 and True are one key, the first spelling kept. */
    static void put(Map<Object, Object> map, Object key, Object value) {
        PyValues.requireHashable(key);
        if (PyValues.isNumber(key) && !map.containsKey(key)) {
            for (Object k : map.keySet()) {
                if (PyValues.isNumber(k) && PyValues.eq(k, key)) {
                    map.put(k, value);
                    return;
                }
            }
        }
        map.put(key, value);
    }

    static Object getitem(Object obj, Object key) {
        if (obj instanceof Undefined u) {
            throw u.fail();
        }
        Object found = item(obj, key);
        if (found != Scope.MISSING) {
            return found;
        }
        if (key instanceof String name && !(obj instanceof Map<?, ?> && name.startsWith("_"))) {
            return getattr(obj, name);
        }
        return obj == null ? new Undefined("'None' has no attribute " + PyValues.repr(key)) : Undefined.attribute(obj, key);
    }

    /** obj[key] as Python evaluates it, or MISSING where Python raises a lookup or type error. */
    private static Object item(Object obj, Object key) {
        if (key instanceof Undefined && !(obj instanceof Map<?, ?>)) {
            return Scope.MISSING;
        }
        return switch (obj) {
            case null -> Scope.MISSING;
            case Map<?, ?> m -> {
                if (key instanceof List<?> || key instanceof Map<?, ?> || key instanceof PyStrings.Slice) {
                    yield Scope.MISSING;  // unhashable: Python's TypeError, which jinja2 turns into undefined
                }
                if (m.containsKey(key)) {
                    yield m.get(key);
                }
                for (Map.Entry<?, ?> e : m.entrySet()) {  // 1, 1.0 and True are one dict key in Python
                    if (PyValues.isNumber(e.getKey()) && PyValues.isNumber(key) && PyValues.eq(e.getKey(), key)) {
                        yield e.getValue();
                    }
                }
                yield Scope.MISSING;
            }
            case List<?> l -> sequenceItem(l, key);
            case PyTuple t -> key instanceof PyStrings.Slice s ? new PyTuple(s.apply(t.items())) : sequenceItem(t.items(), key);
            case String s -> {
                if (key instanceof PyStrings.Slice slice) {
                    yield PyStrings.slice(s, slice);
                }
                if (!PyValues.isInteger(key)) {
                    yield Scope.MISSING;
                }
                String c = PyStrings.charAt(s, PyValues.toLong(key));
                yield c == null ? Scope.MISSING : c;
            }
            case PyRange r when PyValues.isInteger(key) -> {
                long i = PyValues.toLong(key);
                long n = r.length();
                long j = i < 0 ? i + n : i;
                yield j < 0 || j >= n ? Scope.MISSING : r.get(j);
            }
            case Namespace n when key instanceof String name -> n.attributes.containsKey(name) ? n.attributes.get(name) : Scope.MISSING;
            default -> Scope.MISSING;
        };
    }

    @SuppressWarnings("unchecked")
    private static Object sequenceItem(List<?> l, Object key) {
        if (key instanceof PyStrings.Slice s) {
            return s.apply((List<Object>) l);
        }
        if (!PyValues.isInteger(key)) {
            return Scope.MISSING;
        }
        long i = PyValues.toLong(key);
        long j = i < 0 ? i + l.size() : i;
        return j < 0 || j >= l.size() ? Scope.MISSING : l.get((int) j);
    }
}
