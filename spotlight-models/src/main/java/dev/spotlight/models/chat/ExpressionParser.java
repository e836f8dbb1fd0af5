package dev.spotlight.models.chat;

import dev.spotlight.models.chat.Lexer.Kind;
import dev.spotlight.models.chat.Lexer.Token;
import dev.spotlight.models.chat.Node.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * jinja2's expression grammar, precedence from loosest to tightest: conditional ({@code a if b else c}),
 * or, and, not, comparisons ({@code == != < <= > >= in, not in}, chained), + and -, ~, * / // %, **
 * (left-associative, as in jinja2, not Python), unary - and +, then primaries with their postfixes
 * (.attr, [item], [slice], (call)) and filters / tests, which therefore bind tighter than any operator
 * ({@code 'a' + x | trim} is {@code 'a' + (x | trim)}; {@code -2 ** 2} is 4).
 */
class ExpressionParser extends TokenStream {
    private static final Set<String> COMPARE = Set.of("==", "!=", "<", "<=", ">", ">=");

    ExpressionParser(List<Token> tokens) {
        super(tokens);
    }

    /**
     * jinja2's parse_tuple: an expression, or several separated by commas (a tuple). jinja2 3.1 also takes
     * extra end names here, but its is_tuple_end never matches them, so neither does this.
     */
    Expr tuple(boolean withCondition, boolean explicitParentheses) {
        int line = current().line();
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) {
                expectOp(",");
            }
            if (tupleEnd()) {
                break;
            }
            items.add(withCondition ? expression() : or());
            if (current().isOp(",")) {
                isTuple = true;
            } else {
                break;
            }
        }
        if (!isTuple) {
            if (!items.isEmpty()) {
                return items.getFirst();
            }
            if (!explicitParentheses) {
                throw fail("expected an expression, found " + describe(current()));
            }
        }
        return new Node.TupleExpr(items, line);
    }

    private boolean tupleEnd() {
        Token t = current();
        return t.kind() == Kind.VARIABLE_END || t.kind() == Kind.BLOCK_END || t.isOp(")");
    }

    Expr expression() {
        Expr expr = or();
        while (current().isName("if")) {
            int line = next().line();
            Expr test = or();
            Expr otherwise = skipName("else") ? expression() : null;
            expr = new Node.CondExpr(test, expr, otherwise, line);
        }
        return expr;
    }

    Expr or() {
        Expr left = and();
        while (current().isName("or")) {
            int line = next().line();
            left = new Node.Or(left, and(), line);
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (current().isName("and")) {
            int line = next().line();
            left = new Node.And(left, not(), line);
        }
        return left;
    }

    private Expr not() {
        if (current().isName("not")) {
            int line = next().line();
            return new Node.Not(not(), line);
        }
        return compare();
    }

    private Expr compare() {
        int line = current().line();
        Expr first = math1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = current();
            if (t.kind() == Kind.OPERATOR && COMPARE.contains(t.value())) {
                next();
                ops.add(t.value());
            } else if (t.isName("in")) {
                next();
                ops.add("in");
            } else if (t.isName("not") && look().isName("in")) {
                next();
                next();
                ops.add("not in");
            } else {
                break;
            }
            rest.add(math1());
        }
        return ops.isEmpty() ? first : new Node.Compare(first, ops, rest, line);
    }

    private Expr math1() {
        Expr left = concat();
        while (current().isOp("+") || current().isOp("-")) {
            Token op = next();
            left = new Node.Binary(op.value(), left, concat(), op.line());
        }
        return left;
    }

    private Expr concat() {
        int line = current().line();
        List<Expr> parts = new ArrayList<>(List.of(math2()));
        while (skipOp("~")) {
            parts.add(math2());
        }
        return parts.size() == 1 ? parts.getFirst() : new Node.Concat(parts, line);
    }

    private Expr math2() {
        Expr left = pow();
        while (current().isOp("*") || current().isOp("/") || current().isOp("//") || current().isOp("%")) {
            Token op = next();
            left = new Node.Binary(op.value(), left, pow(), op.line());
        }
        return left;
    }

    private Expr pow() {
        Expr left = unary(true);
        while (current().isOp("**")) {
            Token op = next();
            left = new Node.Binary("**", left, unary(true), op.line());
        }
        return left;
    }

    private Expr unary(boolean withFilter) {
        Token t = current();
        Expr node;
        if (t.isOp("-") || t.isOp("+")) {
            next();
            node = new Node.Unary(t.value(), unary(false), t.line());
        } else {
            node = primary();
        }
        node = postfix(node);
        return withFilter ? filterExpression(node) : node;
    }

    protected Expr primary() {
        Token t = current();
        switch (t.kind()) {
            case NAME -> {
                next();
                return switch (t.value()) {
                    case "true", "True" -> new Node.Const(true, t.line());
                    case "false", "False" -> new Node.Const(false, t.line());
                    case "none", "None" -> new Node.Const(null, t.line());
                    default -> new Node.Name(t.value(), t.line());
                };
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder();
                while (current().kind() == Kind.STRING) {
                    sb.append(next().value());
                }
                return new Node.Const(sb.toString(), t.line());
            }
            case INTEGER -> {
                next();
                try {
                    return new Node.Const(Long.parseLong(t.value()), t.line());
                } catch (NumberFormatException e) {
                    throw TemplateError.syntax(t.line(), "the integer " + t.value() + " does not fit in 64 bits");
                }
            }
            case FLOAT -> {
                next();
                double d = Double.parseDouble(t.value());
                if (Double.isInfinite(d)) {
                    // jinja2 prints it as inf where it folds constants and fails with a NameError where it does not
                    throw TemplateError.unsupported("a float literal beyond the double range").at(t.line());
                }
                return new Node.Const(d, t.line());
            }
            default -> {
            }
        }
        if (skipOp("(")) {
            Expr inner = tuple(true, true);
            expectOp(")");
            return inner;
        }
        if (t.isOp("[")) {
            next();
            List<Expr> items = new ArrayList<>();
            while (!current().isOp("]")) {
                if (!items.isEmpty()) {
                    expectOp(",");
                }
                if (current().isOp("]")) {
                    break;
                }
                items.add(expression());
            }
            expectOp("]");
            return new Node.ListExpr(items, t.line());
        }
        if (t.isOp("{")) {
            next();
            List<Expr> keys = new ArrayList<>();
            List<Expr> values = new ArrayList<>();
            while (!current().isOp("}")) {
                if (!keys.isEmpty()) {
                    expectOp(",");
                }
                if (current().isOp("}")) {
                    break;
                }
                keys.add(expression());
                expectOp(":");
                values.add(expression());
            }
            expectOp("}");
            return new Node.DictExpr(keys, values, t.line());
        }
        throw fail("unexpected " + describe(t));
    }

    private Expr postfix(Expr node) {
        while (true) {
            Token t = current();
            if (t.isOp(".")) {
                next();
                Token attr = next();
                if (attr.kind() == Kind.NAME) {
                    node = new Node.GetAttr(node, attr.value(), t.line());
                } else if (attr.kind() == Kind.INTEGER) {
                    node = new Node.GetItem(node, new Node.Const(Long.parseLong(attr.value()), attr.line()), t.line());
                } else {
                    throw TemplateError.syntax(attr.line(), "expected a name or number after '.', found " + describe(attr));
                }
            } else if (t.isOp("[")) {
                next();
                List<Expr> args = new ArrayList<>();
                while (!current().isOp("]")) {
                    if (!args.isEmpty()) {
                        expectOp(",");
                    }
                    args.add(subscript());
                }
                expectOp("]");
                node = new Node.GetItem(node, args.size() == 1 ? args.getFirst() : new Node.TupleExpr(args, t.line()), t.line());
            } else if (t.isOp("(")) {
                node = call(node);
            } else {
                return node;
            }
        }
    }

    private Expr subscript() {
        int line = current().line();
        Expr start = null;
        if (!current().isOp(":")) {
            start = expression();
            if (!current().isOp(":")) {
                return start;
            }
        }
        next();
        Expr stop = current().isOp(":") || current().isOp("]") || current().isOp(",") ? null : expression();
        Expr step = null;
        if (skipOp(":") && !current().isOp("]") && !current().isOp(",")) {
            step = expression();
        }
        return new Node.SliceExpr(start, stop, step, line);
    }

    private Node.Call call(Expr callee) {
        int line = current().line();
        List<Expr> args = new ArrayList<>();
        List<Node.Keyword> kwargs = new ArrayList<>();
        callArgs(args, kwargs);
        return new Node.Call(callee, args, kwargs, line);
    }

    /** jinja2's parse_call_args; *args and **kwargs are refused. */
    protected void callArgs(List<Expr> args, List<Node.Keyword> kwargs) {
        expectOp("(");
        boolean needComma = false;
        while (!current().isOp(")")) {
            if (needComma) {
                expectOp(",");
                if (current().isOp(")")) {
                    break;
                }
            }
            if (current().isOp("*") || current().isOp("**")) {
                throw TemplateError.unsupported("*args or **kwargs in a call").at(current().line());
            }
            if (current().kind() == Kind.NAME && look().isOp("=")) {
                String name = next().value();
                if (kwargs.stream().anyMatch(k -> k.name().equals(name))) {
                    throw fail("keyword argument repeated: " + name);
                }
                next();
                kwargs.add(new Node.Keyword(name, expression()));
            } else {
                if (!kwargs.isEmpty()) {
                    throw fail("a positional argument follows a keyword argument");
                }
                args.add(expression());
            }
            needComma = true;
        }
        expectOp(")");
    }

    private Expr filterExpression(Expr node) {
        while (true) {
            if (current().isOp("|")) {
                node = filter(node, false);
            } else if (current().isName("is")) {
                node = test(node);
            } else if (current().isOp("(")) {
                node = call(node);
            } else {
                return node;
            }
        }
    }

    /** jinja2's parse_filter: one or more {@code | name(args)}; {@code inline} starts right at the name. */
    protected Node.Filter filter(Expr node, boolean inline) {
        Node.Filter result = null;
        while (current().isOp("|") || inline) {
            if (!inline) {
                next();
            }
            inline = false;
            Token name = expectName();
            String fullName = dotted(name.value());
            List<Expr> args = new ArrayList<>();
            List<Node.Keyword> kwargs = new ArrayList<>();
            if (current().isOp("(")) {
                callArgs(args, kwargs);
            }
            result = new Node.Filter(result == null ? node : result, fullName, args, kwargs, name.line());
        }
        return result;
    }

    /** A filter or test name with jinja2's dotted continuation (name.name…); none of the known ones has a dot. */
    private String dotted(String first) {
        StringBuilder name = new StringBuilder(first);
        while (skipOp(".")) {
            name.append('.').append(expectName().value());
        }
        return name.toString();
    }

    private Expr test(Expr node) {
        Token is = next();
        boolean negated = skipName("not");
        Token name = expectName();
        String fullName = dotted(name.value());
        List<Expr> args = new ArrayList<>();
        List<Node.Keyword> kwargs = new ArrayList<>();
        Token t = current();
        if (t.isOp("(")) {
            callArgs(args, kwargs);
        } else if ((t.kind() == Kind.NAME || t.kind() == Kind.STRING || t.kind() == Kind.INTEGER || t.kind() == Kind.FLOAT
                || t.isOp("(") || t.isOp("[") || t.isOp("{")) && !t.isName("else") && !t.isName("or") && !t.isName("and")) {
            if (t.isName("is")) {
                throw fail("you cannot chain multiple tests with is");
            }
            args.add(postfix(primary()));
        }
        Expr test = new Node.Test(node, fullName, args, kwargs, is.line());
        return negated ? new Node.Not(test, is.line()) : test;
    }
}
