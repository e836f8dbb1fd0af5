package dev.spotlight.models.chat;

import dev.spotlight.models.chat.Node.Expr;
import dev.spotlight.models.chat.Node.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a parsed template: statements write to the output, expressions evaluate with Python semantics
 * ({@link PyValues}, {@link PyOps}, {@link Access}, {@link Filters}, {@link Tests}). The output and every
 * string built are bounded ({@link PyOps#MAX_SIZE}), and macros may nest at most {@link #MAX_DEPTH} deep.
 * So is the work: a render stops after {@link #MAX_STEPS} statements, loop iterations and expressions, or
 * once the strings, lists, maps and ranges its expressions produce add up to {@link #MAX_VOLUME} characters
 * and items (a loop that breaks at once still walks its range's list). Real templates take a few thousand steps per message; nested {@code range(100000)} loops, or a
 * macro that calls itself twice per level, would otherwise run for hours without writing a character
 * (Python's jinja2 has no such limit and would run as long).
 */
final class Renderer {
    static final int MAX_DEPTH = 64;
    static final long MAX_STEPS = 20_000_000;
    static final long MAX_VOLUME = 1L << 28;

    private enum Flow { NORMAL, BREAK, CONTINUE }

    final Globals globals;
    private int depth;
    private long steps;
    private long volume;

    Renderer(Globals globals) {
        this.globals = globals;
    }

    String render(List<Stmt> body, Scope scope) {
        StringBuilder out = new StringBuilder();
        run(body, scope, out);
        return out.toString();
    }

    private Flow run(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt s : body) {
            try {
                step(0);
                Flow flow = execute(s, scope, out);
                if (flow != Flow.NORMAL) {
                    return flow;
                }
            } catch (TemplateError e) {
                throw e.at(s.line());
            } catch (StackOverflowError e) {
                throw new TemplateError("RecursionError", "the template nests too deeply").at(s.line());
            }
            if (out.length() > PyOps.MAX_SIZE) {
                throw new TemplateError("MemoryError", "the rendered prompt exceeds " + PyOps.MAX_SIZE + " characters").at(s.line());
            }
        }
        return Flow.NORMAL;
    }

    private Flow execute(Stmt s, Scope scope, StringBuilder out) {
        switch (s) {
            case Node.Text t -> out.append(t.text());
            case Node.Print p -> out.append(PyValues.str(eval(p.value(), scope)));
            case Node.If i -> {
                for (int k = 0; k < i.tests().size(); k++) {
                    if (PyValues.truthy(eval(i.tests().get(k), scope))) {
                        return run(i.bodies().get(k), scope, out);
                    }
                }
                return run(i.otherwise(), scope, out);
            }
            case Node.For f -> {
                return loop(f, scope, out);
            }
            case Node.Set a -> assign(a.target(), eval(a.value(), scope), scope);
            case Node.SetAttribute a -> {
                Object ns = scope.lookup(a.namespace());
                if (!(ns instanceof Namespace namespace)) {
                    throw new TemplateError("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
                }
                namespace.attributes.put(a.attribute(), eval(a.value(), scope));
            }
            case Node.SetBlock b -> {
                String text = render(b.body(), new Scope(scope));
                assign(b.target(), b.filter() == null ? text : filter(b.filter(), text, scope), scope);
            }
            case Node.Macro m -> scope.set(m.name(), new MacroValue(m, scope));
            case Node.FilterBlock b -> out.append(PyValues.str(filter(b.filter(), render(b.body(), new Scope(scope)), scope)));
            case Node.With w -> {
                List<Object> values = new ArrayList<>();
                w.values().forEach(v -> values.add(eval(v, scope)));
                Scope inner = new Scope(scope);
                for (int k = 0; k < values.size(); k++) {
                    assign(w.targets().get(k), values.get(k), inner);
                }
                return run(w.body(), inner, out);
            }
            case Node.Generation g -> run(g.body(), new Scope(scope), out);
            case Node.Break b -> {
                return Flow.BREAK;
            }
            case Node.Continue c -> {
                return Flow.CONTINUE;
            }
        }
        return Flow.NORMAL;
    }

    /** A for loop: each iteration in a fresh frame over the enclosing one; else runs when nothing was iterated. */
    private Flow loop(Node.For f, Scope scope, StringBuilder out) {
        List<Object> items = PyValues.iterate(eval(f.iterable(), scope));
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope probe = new Scope(scope);
                assign(f.target(), item, probe);
                if (PyValues.truthy(eval(f.filter(), probe))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        LoopContext loop = new LoopContext(items);
        for (int i = 0; i < items.size(); i++) {
            step(0);
            Scope iteration = new Scope(scope);
            assign(f.target(), items.get(i), iteration);
            loop.advance(i);
            iteration.set("loop", loop);
            if (run(f.body(), iteration, out) == Flow.BREAK) {
                break;
            }
        }
        if (items.isEmpty()) {
            run(f.otherwise(), new Scope(scope), out);
        }
        return Flow.NORMAL;
    }

    /** Counts one step that produced {@code size} characters or items; past either bound the render stops. */
    private void step(long size) {
        steps++;
        volume += size;
        if (steps > MAX_STEPS || volume > MAX_VOLUME) {
            throw TemplateError.unsupported(String.format(java.util.Locale.ROOT, "a render of more than %,d steps or %,d"
                    + " characters and items built (a loop or a recursive macro that would run for minutes)",
                    MAX_STEPS, MAX_VOLUME));
        }
    }

    private static void assign(Node.Target target, Object value, Scope scope) {
        if (!target.tuple()) {
            scope.set(target.names().getFirst(), value);
            return;
        }
        List<Object> parts = PyValues.iterate(value);
        if (parts.size() != target.names().size()) {
            throw TemplateError.value((parts.size() > target.names().size() ? "too many" : "not enough")
                    + " values to unpack (expected " + target.names().size() + ", got " + parts.size() + ")");
        }
        for (int i = 0; i < parts.size(); i++) {
            scope.set(target.names().get(i), parts.get(i));
        }
    }

    Object eval(Expr e, Scope scope) {
        try {
            Object value = evaluate(e, scope);
            step(switch (value) {
                case String text -> text.length();
                case List<?> list -> list.size();
                case Map<?, ?> map -> map.size();
                case PyRange range -> range.length();   // counted as the list it stands for: loops and filters walk it
                case null, default -> 0;
            });
            return value;
        } catch (TemplateError err) {
            throw err.at(e.line());
        }
    }

    private Object evaluate(Expr e, Scope scope) {
        return switch (e) {
            case Node.Const c -> c.value();
            case Node.Name n -> {
                Object v = scope.lookup(n.name());
                yield v == Scope.MISSING ? Undefined.name(n.name()) : v;
            }
            case Node.ListExpr l -> evalAll(l.items(), scope);
            case Node.TupleExpr t -> new PyTuple(evalAll(t.items(), scope));
            case Node.DictExpr d -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    Access.put(map, eval(d.keys().get(i), scope), eval(d.values().get(i), scope));
                }
                yield map;
            }
            case Node.GetAttr g -> Access.getattr(eval(g.obj(), scope), g.name());
            case Node.GetItem g when g.key() instanceof Node.SliceExpr s -> Access.slice(eval(g.obj(), scope), slice(s, scope));
            case Node.GetItem g -> Access.getitem(eval(g.obj(), scope), eval(g.key(), scope));
            case Node.SliceExpr s -> slice(s, scope);
            case Node.Call c -> call(eval(c.callee(), scope), args(c.args(), c.kwargs(), scope));
            case Node.Filter f -> filter(f, null, scope);
            case Node.Test t -> Tests.apply(t.name(), eval(t.value(), scope), args(t.args(), t.kwargs(), scope));
            case Node.Binary b -> {
                Object r = PyOps.binary(b.op(), eval(b.left(), scope), eval(b.right(), scope));
                if (r instanceof Double d && !Double.isFinite(d) && b.left() instanceof Node.Const && b.right() instanceof Node.Const) {
                    // jinja2 folds this at compile time and then prints "inf" or fails with a NameError, by context
                    throw TemplateError.unsupported("arithmetic on literals that leaves the double range");
                }
                yield r;
            }
            case Node.Unary u -> u.op().equals("-") ? PyOps.negate(eval(u.operand(), scope)) : PyOps.plus(eval(u.operand(), scope));
            case Node.And a -> {
                Object left = eval(a.left(), scope);
                yield PyValues.truthy(left) ? eval(a.right(), scope) : left;
            }
            case Node.Or o -> {
                Object left = eval(o.left(), scope);
                yield PyValues.truthy(left) ? left : eval(o.right(), scope);
            }
            case Node.Not n -> !PyValues.truthy(eval(n.operand(), scope));
            case Node.Compare c -> compare(c, scope);
            case Node.Concat c -> {
                StringBuilder sb = new StringBuilder();
                for (Expr part : c.parts()) {
                    sb.append(PyValues.str(eval(part, scope)));
                    if (sb.length() > PyOps.MAX_SIZE) {
                        throw new TemplateError("MemoryError", "the template builds a string of more than " + PyOps.MAX_SIZE + " characters");
                    }
                }
                yield sb.toString();
            }
            case Node.CondExpr c -> PyValues.truthy(eval(c.test(), scope)) ? eval(c.then(), scope)
                    : c.otherwise() != null ? eval(c.otherwise(), scope)
                    : new Undefined("the inline if-expression on line " + c.line() + " evaluated to false and no else section was defined.");
        };
    }

    private List<Object> evalAll(List<Expr> items, Scope scope) {
        List<Object> out = new ArrayList<>(items.size());
        items.forEach(x -> out.add(eval(x, scope)));
        return out;
    }

    /** A slice's bounds: ints or None, else Python's TypeError (jinja2 compiles slicing to plain Python). */
    private PyStrings.Slice slice(Node.SliceExpr s, Scope scope) {
        Object[] bounds = {s.start() == null ? null : eval(s.start(), scope), s.stop() == null ? null : eval(s.stop(), scope),
                s.step() == null ? null : eval(s.step(), scope)};
        for (Object b : bounds) {
            if (b != null && !PyValues.isInteger(b)) {
                throw TemplateError.type("slice indices must be integers or None or have an __index__ method");
            }
        }
        return new PyStrings.Slice(bounds[0] == null ? null : PyValues.toLong(bounds[0]),
                bounds[1] == null ? null : PyValues.toLong(bounds[1]), bounds[2] == null ? null : PyValues.toLong(bounds[2]));
    }

    private Args args(List<Expr> positional, List<Node.Keyword> named, Scope scope) {
        if (positional.isEmpty() && named.isEmpty()) {
            return Args.NONE;
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        for (Node.Keyword k : named) {
            kwargs.put(k.name(), eval(k.value(), scope));
        }
        return new Args(evalAll(positional, scope), kwargs);
    }

    static Object call(Object callee, Args args) {
        return switch (callee) {
            case null -> throw TemplateError.type("'NoneType' object is not callable");
            case PyCallable c -> c.call(args);
            case Undefined u -> throw u.fail();
            default -> throw TemplateError.type("'" + PyValues.typeName(callee) + "' object is not callable");
        };
    }

    /** Applies a filter chain; {@code blockValue} is the rendered body of a {% filter %} or {% set %} block. */
    private Object filter(Node.Filter f, Object blockValue, Scope scope) {
        Object value = f.value() == null ? blockValue : f.value() instanceof Node.Filter inner
                ? filter(inner, blockValue, scope) : eval(f.value(), scope);
        try {
            return Filters.apply(f.name(), value, args(f.args(), f.kwargs(), scope));
        } catch (TemplateError err) {
            throw err.at(f.line());
        }
    }

    private Object compare(Node.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (int i = 0; i < c.ops().size(); i++) {
            Object right = eval(c.rest().get(i), scope);
            if (!compare(c.ops().get(i), left, right)) {
                return false;
            }
            left = right;
        }
        return true;
    }

    static boolean compare(String op, Object left, Object right) {
        return switch (op) {
            case "==" -> PyValues.eq(left, right);
            case "!=" -> !PyValues.eq(left, right);
            case "in" -> PyValues.contains(right, left);
            case "not in" -> !PyValues.contains(right, left);
            case "<" -> PyValues.compare(left, right, op) < 0;
            case "<=" -> PyValues.compare(left, right, op) <= 0;
            case ">" -> PyValues.compare(left, right, op) > 0;
            case ">=" -> PyValues.compare(left, right, op) >= 0;
            default -> throw new IllegalStateException(op);
        };
    }

    /** A macro: called with positional then keyword arguments, missing ones Undefined or their default. */
    private final class MacroValue implements PyCallable {
        private final Node.Macro macro;
        private final Scope defined;

        MacroValue(Node.Macro macro, Scope defined) {
            this.macro = macro;
            this.defined = defined;
        }

        @Override
        public Object call(Args args) {
            List<String> params = macro.params();
            if (args.size() > params.size()) {
                throw TemplateError.type("macro '" + macro.name() + "' takes not more than " + params.size() + " argument(s)");
            }
            for (String k : args.named().keySet()) {
                if (!params.contains(k)) {
                    throw TemplateError.type("macro '" + macro.name() + "' takes no keyword argument '" + k + "'");
                }
            }
            if (++depth > MAX_DEPTH) {
                depth = 0;
                throw new TemplateError("RecursionError", "macros nest more than " + MAX_DEPTH + " deep");
            }
            try {
                Scope frame = new Scope(defined);
                int firstDefault = params.size() - macro.defaults().size();
                for (int i = 0; i < params.size(); i++) {
                    String p = params.get(i);
                    Object v = args.get(i, p, Scope.MISSING);
                    if (v == Scope.MISSING) {
                        v = i >= firstDefault ? eval(macro.defaults().get(i - firstDefault), frame)
                                : new Undefined("parameter '" + p + "' was not provided");
                    }
                    frame.set(p, v);
                }
                return render(macro.body(), frame);
            } finally {
                depth--;
            }
        }

        @Override
        public String describe() {
            return "the macro '" + macro.name() + "'";
        }
    }
}
