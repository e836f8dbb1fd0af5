package dev.spotlight.models.chat;

import dev.spotlight.models.chat.Node.Expr;
import dev.spotlight.models.chat.Node.Stmt;
import java.util.List;

/** Filter and test names checked once a template is parsed, where and as jinja2's compiler checks them. */
final class NameCheck {
    private NameCheck() {
    }

    /**
     * jinja2's compile-time check of filter and test names: an unknown (or, here, unsupported) one is an
     * error when the template is compiled, except in a "soft" frame (an if statement's test and branches,
     * an inline if-expression), where it fails only if evaluated. Loop, macro, with, block-set and filter
     * bodies start a frame that is not soft, as in jinja2's compiler.
     */
    static void check(List<Stmt> body) {
        checkNames(body, false);
    }

    private static void checkNames(List<Stmt> body, boolean soft) {
        for (Stmt s : body) {
            switch (s) {
                case Node.Print p -> checkNames(p.value(), soft);
                case Node.If i -> {
                    i.tests().forEach(t -> checkNames(t, true));
                    i.bodies().forEach(b -> checkNames(b, true));
                    checkNames(i.otherwise(), true);
                }
                case Node.For f -> {
                    checkNames(f.iterable(), soft);
                    checkNames(f.filter(), false);
                    checkNames(f.body(), false);
                    checkNames(f.otherwise(), false);
                }
                case Node.Set a -> checkNames(a.value(), soft);
                case Node.SetAttribute a -> checkNames(a.value(), soft);
                case Node.SetBlock b -> {
                    checkNames(b.filter(), false);
                    checkNames(b.body(), false);
                }
                case Node.Macro m -> {
                    m.defaults().forEach(d -> checkNames(d, false));
                    checkNames(m.body(), false);
                }
                case Node.FilterBlock b -> {
                    checkNames(b.filter(), false);
                    checkNames(b.body(), false);
                }
                case Node.With w -> {
                    w.values().forEach(v -> checkNames(v, soft));
                    checkNames(w.body(), false);
                }
                case Node.Generation g -> checkNames(g.body(), false);
                case Node.Text t -> { }
                case Node.Break b -> { }
                case Node.Continue c -> { }
            }
        }
    }

    private static void checkNames(Expr e, boolean soft) {
        switch (e) {
            case null -> { }
            case Node.Filter f -> {
                if (!soft) {
                    Filters.check(f.name(), f.line());
                }
                checkNames(f.value(), soft);
                f.args().forEach(a -> checkNames(a, soft));
                f.kwargs().forEach(k -> checkNames(k.value(), soft));
            }
            case Node.Test t -> {
                if (!soft) {
                    Tests.check(t.name(), t.line());
                }
                checkNames(t.value(), soft);
                t.args().forEach(a -> checkNames(a, soft));
                t.kwargs().forEach(k -> checkNames(k.value(), soft));
            }
            case Node.CondExpr c -> {
                checkNames(c.test(), true);
                checkNames(c.then(), true);
                checkNames(c.otherwise(), true);
            }
            case Node.ListExpr l -> l.items().forEach(x -> checkNames(x, soft));
            case Node.TupleExpr t -> t.items().forEach(x -> checkNames(x, soft));
            case Node.DictExpr d -> {
                d.keys().forEach(x -> checkNames(x, soft));
                d.values().forEach(x -> checkNames(x, soft));
            }
            case Node.GetAttr g -> checkNames(g.obj(), soft);
            case Node.GetItem g -> {
                checkNames(g.obj(), soft);
                checkNames(g.key(), soft);
            }
            case Node.SliceExpr s -> {
                checkNames(s.start(), soft);
                checkNames(s.stop(), soft);
                checkNames(s.step(), soft);
            }
            case Node.Call c -> {
                checkNames(c.callee(), soft);
                c.args().forEach(a -> checkNames(a, soft));
                c.kwargs().forEach(k -> checkNames(k.value(), soft));
            }
            case Node.Binary b -> {
                checkNames(b.left(), soft);
                checkNames(b.right(), soft);
            }
            case Node.Unary u -> checkNames(u.operand(), soft);
            case Node.And a -> {
                checkNames(a.left(), soft);
                checkNames(a.right(), soft);
            }
            case Node.Or o -> {
                checkNames(o.left(), soft);
                checkNames(o.right(), soft);
            }
            case Node.Not n -> checkNames(n.operand(), soft);
            case Node.Compare c -> {
                checkNames(c.first(), soft);
                c.rest().forEach(x -> checkNames(x, soft));
            }
            case Node.Concat c -> c.parts().forEach(x -> checkNames(x, soft));
            case Node.Const c -> { }
            case Node.Name n -> { }
        }
    }
}
