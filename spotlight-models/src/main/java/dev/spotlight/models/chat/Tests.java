package dev.spotlight.models.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** jinja2 3.1's built-in tests ({@code x is defined}, {@code x is string}, …) with Python's type rules. */
final class Tests {
    static final Set<String> SUPPORTED = Set.of("boolean", "callable", "defined", "divisibleby", "eq", "equalto", "==",
            "escaped", "even", "false", "filter", "float", "ge", ">=", "gt", ">", "greaterthan", "in", "integer", "iterable",
            "le", "<=", "lower", "lt", "<", "lessthan", "mapping", "ne", "!=", "none", "number", "odd", "sameas", "sequence",
            "string", "test", "true", "undefined", "upper");

    private Tests() {
    }

    static void check(String name, int line) {
        if (!SUPPORTED.contains(name)) {
            throw TemplateError.syntax(line, "no test named '" + name + "'");
        }
    }

    static Object apply(String name, Object v, Args args) {
        if (!SUPPORTED.contains(name)) {
            throw new TemplateError("TemplateRuntimeError", "No test named '" + name + "'.");
        }
        Object other = args.size() > 0 ? args.positional().getFirst() : null;
        int arity = switch (name) {
            case "divisibleby", "eq", "equalto", "==", "ge", ">=", "gt", ">", "greaterthan", "in", "le", "<=", "lt", "<",
                 "lessthan", "ne", "!=", "sameas" -> 1;
            default -> 0;
        };
        if (args.size() != arity || !args.named().isEmpty()) {
            throw TemplateError.type("the test '" + name + "' takes " + arity + " argument(s), got " + args.size());
        }
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "boolean" -> v instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            case "string" -> v instanceof String;
            case "number" -> PyValues.isNumber(v);
            case "integer" -> v instanceof Long;
            case "float" -> v instanceof Double;
            case "mapping" -> v instanceof Map<?, ?>;
            case "iterable" -> v instanceof String || v instanceof List<?> || v instanceof Map<?, ?> || v instanceof PyTuple
                    || v instanceof PyIterator || v instanceof PyRange || v instanceof DictView || v instanceof Undefined;
            case "sequence" -> v instanceof String || v instanceof List<?> || v instanceof Map<?, ?> || v instanceof PyTuple
                    || v instanceof PyRange || v instanceof Undefined;
            case "callable" -> v instanceof PyCallable || v instanceof Undefined;  // Undefined defines __call__ (to fail)
            case "escaped" -> false;
            case "lower" -> PyStrings.isCase(PyValues.str(v), false);
            case "upper" -> PyStrings.isCase(PyValues.str(v), true);
            case "odd" -> PyValues.eq(PyOps.binary("%", v, 2L), 1L);
            case "even" -> PyValues.eq(PyOps.binary("%", v, 2L), 0L);
            case "divisibleby" -> PyValues.eq(PyOps.binary("%", v, other), 0L);
            case "eq", "equalto", "==" -> Renderer.compare("==", v, other);
            case "ne", "!=" -> Renderer.compare("!=", v, other);
            case "lt", "<", "lessthan" -> Renderer.compare("<", v, other);
            case "le", "<=" -> Renderer.compare("<=", v, other);
            case "gt", ">", "greaterthan" -> Renderer.compare(">", v, other);
            case "ge", ">=" -> Renderer.compare(">=", v, other);
            case "in" -> PyValues.contains(other, v);
            case "sameas" -> sameAs(v, other);
            case "filter" -> Filters.SUPPORTED.contains(PyValues.str(v));
            case "test" -> SUPPORTED.contains(PyValues.str(v));
            default -> throw new IllegalStateException(name);
        };
    }

    /** Python's {@code is}: None, True and False are singletons; other values only when they are the same object. */
    private static boolean sameAs(Object a, Object b) {
        if (a == null || b == null || a instanceof Boolean || b instanceof Boolean) {
            return a == null ? b == null : a.equals(b);
        }
        return a == b;
    }
}
