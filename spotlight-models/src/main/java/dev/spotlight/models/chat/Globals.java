package dev.spotlight.models.chat;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names every template sees: jinja2's range, dict and namespace (lipsum, cycler and joiner exist but
 * are refused), plus transformers' raise_exception and strftime_now. The sandbox's limit on range
 * (100000 items) applies.
 */
final class Globals {
    static final long MAX_RANGE = 100_000;

    private final Clock clock;

    Globals(Clock clock) {
        this.clock = clock;
    }

    Scope scope() {
        Scope s = new Scope(null);
        s.set("range", function("range", this::range));
        s.set("dict", function("dict", args -> {
            Map<Object, Object> out = new LinkedHashMap<>();
            if (args.size() > 0) {
                args.allow("dict", 1, args.named().keySet().toArray(String[]::new));
                Object init = args.positional().getFirst();
                if (init instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> Access.put(out, k, v));
                } else {
                    if (init instanceof Undefined u) {
                        throw u.fail();
                    }
                    int i = 0;
                    for (Object pair : PyValues.iterate(init)) {
                        if (!(pair instanceof List<?> || pair instanceof PyTuple || pair instanceof String)) {
                            throw TemplateError.type("cannot convert dictionary update sequence element #" + i + " to a sequence");
                        }
                        List<Object> kv = PyValues.iterate(pair);
                        if (kv.size() != 2) {
                            throw TemplateError.value("dictionary update sequence element #" + i + " has length " + kv.size() + "; 2 is required");
                        }
                        Access.put(out, kv.get(0), kv.get(1));
                        i++;
                    }
                }
            }
            args.named().forEach((k, v) -> out.put(k, v));
            return out;
        }));
        s.set("namespace", function("namespace", args -> {
            Namespace ns = new Namespace();
            args.allow("namespace", 1, args.named().keySet().toArray(String[]::new));
            if (args.size() == 1) {
                Object init = args.positional().getFirst();
                if (!(init instanceof Map<?, ?> m)) {
                    throw TemplateError.type("namespace() takes a dict, not " + PyValues.typeName(init));
                }
                m.forEach((k, v) -> ns.attributes.put(PyValues.str(k), v));
            }
            ns.attributes.putAll(args.named());
            return ns;
        }));
        s.set("raise_exception", function("raise_exception", args -> {
            throw new TemplateError("TemplateError", PyValues.str(args.allow("raise_exception", 1).get(0, "message", "")));
        }));
        s.set("strftime_now", function("strftime_now", args -> {
            Object format = args.allow("strftime_now", 1).get(0, "format", null);
            if (!(format instanceof String f)) {
                throw TemplateError.type("strftime() argument 1 must be str, not " + PyValues.typeName(format));
            }
            return Strftime.format(LocalDateTime.now(clock), f);
        }));
        for (String refused : new String[] {"lipsum", "cycler", "joiner"}) {
            s.set(refused, function(refused, args -> {
                throw TemplateError.unsupported("the global " + refused + "()");
            }));
        }
        return s;
    }

    private Object range(Args args) {
        args.allow("range", 3);
        long[] v = new long[args.size()];
        for (int i = 0; i < v.length; i++) {
            Object a = args.positional().get(i);
            if (!PyValues.isInteger(a)) {
                throw TemplateError.type("'" + PyValues.typeName(a) + "' object cannot be interpreted as an integer");
            }
            v[i] = PyValues.toLong(a);
        }
        PyRange r = switch (v.length) {
            case 1 -> new PyRange(0, v[0], 1);
            case 2 -> new PyRange(v[0], v[1], 1);
            case 3 -> new PyRange(v[0], v[1], v[2]);
            default -> throw TemplateError.type("range expected at least 1 argument, got 0");
        };
        if (r.step() == 0) {
            throw TemplateError.value("range() arg 3 must not be zero");
        }
        if (r.length() > MAX_RANGE) {
            throw new TemplateError("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (" + MAX_RANGE + ").");
        }
        return r;
    }

    interface Body {
        Object call(Args args);
    }

    static PyCallable function(String name, Body body) {
        return new PyCallable() {
            @Override
            public Object call(Args args) {
                return body.call(args);
            }

            @Override
            public String describe() {
                return "the function " + name;
            }
        };
    }
}
