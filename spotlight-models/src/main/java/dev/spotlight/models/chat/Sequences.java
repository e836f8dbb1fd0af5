package dev.spotlight.models.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Predicate;

/** jinja2's filters over sequences: map, select / reject (and their attr forms), max / min, sort, sum, unique. */
final class Sequences {
    private Sequences() {
    }

    /** jinja2's make_attrgetter: "a.b.0" looks up a, then b, then item 0, each as obj[part]. */
    static Object attribute(Object item, Object attribute) {
        if (!(attribute instanceof String path)) {
            return Access.getitem(item, attribute);
        }
        for (String part : path.split("\\.", -1)) {
            item = Access.getitem(item, !part.isEmpty() && part.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(part) : part);
        }
        return item;
    }

    /** Python's sorted(reverse=…) takes an int (a bool is one); anything else is a TypeError. */
    static boolean reverseFlag(Object v) {
        return PyValues.toLong(v) != 0;
    }

    /** jinja2's ignore_case: strings compare lower-cased unless case_sensitive. */
    static Object sortKey(Object v, boolean caseSensitive) {
        return !caseSensitive && v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
    }

    /** map(attribute='x', default=…) or map('filter', args…); a false value maps to nothing, as in jinja2. */
    static Object map(Object value, Args args) {
        if (!PyValues.truthy(value)) {
            return generator(List.of().iterator());  // jinja2 prepares the mapping only for a true value
        }
        Function<Object, Object> func;
        if (args.size() == 0 && args.named().containsKey("attribute")) {
            args.allow("map", 0, "attribute", "default");
            Object attribute = args.named().get("attribute");
            Object fallback = args.named().get("default");
            func = item -> {
                Object v = attribute(item, attribute);
                return fallback != null && v instanceof Undefined ? fallback : v;
            };
        } else {
            if (args.size() == 0) {
                throw new TemplateError("FilterArgumentError", "map requires a filter argument");
            }
            String filter = PyValues.str(args.positional().getFirst());
            Args rest = new Args(args.positional().subList(1, args.size()), args.named());
            func = item -> {
                Filters.checkAtRunTime(filter);
                return Filters.apply(filter, item, rest);
            };
        }
        Iterator<Object> source = PyValues.iterator(value);
        return generator(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public Object next() {
                return func.apply(source.next());
            }
        });
    }

    /** select / reject (by a test, or truth) and selectattr / rejectattr (the same on an attribute). */
    static Object select(Object value, Args args, boolean keep, boolean byAttribute) {
        if (!PyValues.truthy(value)) {
            return generator(List.of().iterator());  // as map: nothing is prepared, so nothing can fail
        }
        int offset = byAttribute ? 1 : 0;
        if (byAttribute && args.size() == 0) {
            throw new TemplateError("FilterArgumentError", "Missing parameter for attribute name");
        }
        Function<Object, Object> transform = byAttribute ? item -> attribute(item, args.positional().getFirst()) : item -> item;
        Predicate<Object> test;
        if (args.size() > offset) {
            String name = PyValues.str(args.positional().get(offset));
            Args rest = new Args(args.positional().subList(offset + 1, args.size()), args.named());
            test = item -> PyValues.truthy(Tests.apply(name, item, rest));
        } else {
            test = PyValues::truthy;
        }
        Iterator<Object> source = PyValues.iterator(value);
        return generator(new Iterator<>() {
            private Object pending;
            private boolean ready;

            @Override
            public boolean hasNext() {
                while (!ready && source.hasNext()) {
                    Object item = source.next();
                    if (test.test(transform.apply(item)) == keep) {
                        pending = item;
                        ready = true;
                    }
                }
                return ready;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                return pending;
            }
        });
    }

    static Object extreme(Object value, Args args, boolean max) {
        List<Object> items = PyValues.iterate(value);
        if (items.isEmpty()) {
            return new Undefined("No aggregated item, sequence was empty.");
        }
        boolean caseSensitive = PyValues.truthy(args.get(0, "case_sensitive", false));
        Object attribute = args.get(1, "attribute", null);
        Object best = items.getFirst();
        Object bestKey = key(best, attribute, caseSensitive);
        for (Object item : items.subList(1, items.size())) {
            Object k = key(item, attribute, caseSensitive);
            int c = PyValues.compare(k, bestKey, max ? ">" : "<");
            if (max ? c > 0 : c < 0) {
                best = item;
                bestKey = k;
            }
        }
        return best;
    }

    private static Object key(Object item, Object attribute, boolean caseSensitive) {
        return sortKey(attribute == null ? item : attribute(item, attribute), caseSensitive);
    }

    static Object sort(Object value, Args args) {
        boolean reverse = reverseFlag(args.get(0, "reverse", false));
        boolean caseSensitive = PyValues.truthy(args.get(1, "case_sensitive", false));
        Object attribute = args.get(2, "attribute", null);
        List<Object> attributes = attribute instanceof String s ? List.of((Object[]) s.split(",")) : attribute == null ? null : List.of(attribute);
        List<Object> items = PyValues.iterate(value);
        Comparator<Object> order = Comparator.comparing(item -> {
            List<Object> keys = new ArrayList<>();
            for (Object a : attributes == null ? java.util.Collections.singletonList(null) : attributes) {
                keys.add(key(item, a, caseSensitive));
            }
            return (Object) keys;
        }, (a, b) -> PyValues.compare(a, b, "<"));
        items.sort(reverse ? order.reversed() : order);
        return items;
    }

    static Object sum(Object value, Args args) {
        Object attribute = args.get(0, "attribute", null);
        Object total = args.get(1, "start", 0L);
        if (total instanceof String) {
            throw TemplateError.type("sum() can't sum strings [use ''.join(seq) instead]");
        }
        for (Object item : PyValues.iterate(value)) {
            total = PyOps.binary("+", total, attribute == null ? item : attribute(item, attribute));
        }
        return total;
    }

    static Object unique(Object value, Args args) {
        boolean caseSensitive = PyValues.truthy(args.get(0, "case_sensitive", false));
        Object attribute = args.get(1, "attribute", null);
        List<Object> seen = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (Object item : PyValues.iterate(value)) {
            Object k = key(item, attribute, caseSensitive);
            PyValues.requireHashable(k);
            if (seen.stream().noneMatch(s -> PyValues.eq(s, k))) {
                seen.add(k);
                out.add(item);
            }
        }
        return generator(out.iterator());
    }

    private static PyIterator generator(Iterator<Object> source) {
        return new PyIterator(source, "generator");
    }
}
