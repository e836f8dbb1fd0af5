package dev.spotlight.models.chat;

import java.util.List;

/** The parsed template: jinja2's node types for the statements and expressions this renderer runs. */
final class Node {
    private Node() {
    }

    /** An expression; {@code line} is where it starts, for error messages. */
    sealed interface Expr {
        int line();
    }

    record Const(Object value, int line) implements Expr {
    }

    record Name(String name, int line) implements Expr {
    }

    record ListExpr(List<Expr> items, int line) implements Expr {
    }

    record TupleExpr(List<Expr> items, int line) implements Expr {
    }

    record DictExpr(List<Expr> keys, List<Expr> values, int line) implements Expr {
    }

    /** {@code obj.name}: attribute first, then item, as jinja2's getattr. */
    record GetAttr(Expr obj, String name, int line) implements Expr {
    }

    /** {@code obj[key]}: item first, then attribute, as jinja2's getitem. */
    record GetItem(Expr obj, Expr key, int line) implements Expr {
    }

    /** {@code start:stop:step} inside brackets; null parts are omitted. */
    record SliceExpr(Expr start, Expr stop, Expr step, int line) implements Expr {
    }

    record Keyword(String name, Expr value) {
    }

    record Call(Expr callee, List<Expr> args, List<Keyword> kwargs, int line) implements Expr {
    }

    /** {@code value | name(args)}; value is null in a {% filter %} block, which filters its body. */
    record Filter(Expr value, String name, List<Expr> args, List<Keyword> kwargs, int line) implements Expr {
    }

    /** {@code value is name(args)}. */
    record Test(Expr value, String name, List<Expr> args, List<Keyword> kwargs, int line) implements Expr {
    }

    /** Arithmetic: + - * / // % **. */
    record Binary(String op, Expr left, Expr right, int line) implements Expr {
    }

    /** Unary - or +. */
    record Unary(String op, Expr operand, int line) implements Expr {
    }

    record And(Expr left, Expr right, int line) implements Expr {
    }

    record Or(Expr left, Expr right, int line) implements Expr {
    }

    record Not(Expr operand, int line) implements Expr {
    }

    /** A chain {@code a < b <= c}: ops.get(i) compares operand i with operand i + 1 (eq ne lt lteq gt gteq in notin). */
    record Compare(Expr first, List<String> ops, List<Expr> rest, int line) implements Expr {
    }

    /** {@code a ~ b ~ c}: str() of each, joined. */
    record Concat(List<Expr> parts, int line) implements Expr {
    }

    /** {@code then if test else otherwise}; otherwise may be null (then Undefined). */
    record CondExpr(Expr test, Expr then, Expr otherwise, int line) implements Expr {
    }

    /** A statement; {@code line} is where its tag starts. */
    sealed interface Stmt {
        int line();
    }

    record Text(String text, int line) implements Stmt {
    }

    record Print(Expr value, int line) implements Stmt {
    }

    record If(List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise, int line) implements Stmt {
    }

    /** Names to assign: one name, or several unpacked from a sequence. */
    record Target(List<String> names, boolean tuple) {
    }

    record For(Target target, Expr iterable, Expr filter, List<Stmt> body, List<Stmt> otherwise, int line) implements Stmt {
    }

    record Set(Target target, Expr value, int line) implements Stmt {
    }

    /** {@code {% set ns.attr = value %}}. */
    record SetAttribute(String namespace, String attribute, Expr value, int line) implements Stmt {
    }

    /** {@code {% set name %}…{% endset %}}, optionally filtered. */
    record SetBlock(Target target, Filter filter, List<Stmt> body, int line) implements Stmt {
    }

    record Macro(String name, List<String> params, List<Expr> defaults, List<Stmt> body, int line) implements Stmt {
    }

    record FilterBlock(Filter filter, List<Stmt> body, int line) implements Stmt {
    }

    record With(List<Target> targets, List<Expr> values, List<Stmt> body, int line) implements Stmt {
    }

    /** transformers' {@code {% generation %}}: renders its body unchanged. */
    record Generation(List<Stmt> body, int line) implements Stmt {
    }

    record Break(int line) implements Stmt {
    }

    record Continue(int line) implements Stmt {
    }
}
