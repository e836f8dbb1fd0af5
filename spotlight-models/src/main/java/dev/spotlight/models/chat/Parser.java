package dev.spotlight.models.chat;

import dev.spotlight.models.chat.Lexer.Kind;
import dev.spotlight.models.chat.Lexer.Token;
import dev.spotlight.models.chat.Node.Expr;
import dev.spotlight.models.chat.Node.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * jinja2's statement grammar for what chat templates use: if / elif / else, for (with a loop filter and
 * else), set (a name, names unpacked, a namespace attribute, or a block), macro, filter blocks, with,
 * break / continue (the loopcontrols extension transformers enables) and transformers' generation
 * block. Every other tag (include, extends, import, block, call, …) is refused with its line.
 */
final class Parser extends ExpressionParser {
    private static final Set<String> REFUSED = Set.of("block", "extends", "include", "import", "from", "call", "print",
            "autoescape", "do", "trans", "pluralize", "debug");
    /** Names jinja2 defines inside a macro; the macro parameters this renderer supports do not include them. */
    private static final Set<String> MACRO_SPECIALS = Set.of("varargs", "kwargs", "caller");

    private int loopDepth;

    private Parser(List<Token> tokens) {
        super(tokens);
    }

    static List<Stmt> parse(String source) {
        Parser p = new Parser(Lexer.tokenize(source));
        List<Stmt> body = p.statements(List.of());
        if (p.current().kind() != Kind.EOF) {
            throw TemplateError.syntax(p.current().line(), "unexpected '" + p.look().value() + "'");
        }
        NameCheck.check(body);
        return body;
    }

    /** Statements until one of the end tags (which is left as the current token, after its {%). */
    private List<Stmt> statements(List<String> ends) {
        List<Stmt> body = new ArrayList<>();
        while (true) {
            Token t = current();
            switch (t.kind()) {
                case EOF -> {
                    if (!ends.isEmpty()) {
                        throw TemplateError.syntax(t.line(), "unexpected end of template: expected one of " + String.join(", ", ends));
                    }
                    return body;
                }
                case DATA -> body.add(new Node.Text(next().value(), t.line()));
                case VARIABLE_BEGIN -> {
                    next();
                    body.add(new Node.Print(tuple(true, false), t.line()));
                    expect(Kind.VARIABLE_END);
                }
                case BLOCK_BEGIN -> {
                    Token tag = look();
                    if (tag.kind() == Kind.NAME && ends.contains(tag.value())) {
                        next();
                        return body;
                    }
                    next();
                    body.add(statement());
                }
                default -> throw TemplateError.syntax(t.line(), "unexpected " + describe(t));
            }
        }
    }

    private void expect(Kind kind) {
        if (current().kind() != kind) {
            throw fail("expected " + (kind == Kind.BLOCK_END ? "the end of the tag (%})" : "the end of the print statement (}})")
                    + ", found " + describe(current()));
        }
        next();
    }

    /** The %} that opens a statement's body; jinja2 allows a colon before it, "for python compatibility". */
    private void beginBody() {
        skipOp(":");
        expect(Kind.BLOCK_END);
    }

    /** After the closing tag's name: expects its %}. */
    private void endTag(String name) {
        Token t = next();
        if (!t.isName(name)) {
            throw TemplateError.syntax(t.line(), "expected '" + name + "', found " + describe(t));
        }
        expect(Kind.BLOCK_END);
    }

    private Stmt statement() {
        Token tag = expectName();
        int line = tag.line();
        return switch (tag.value()) {
            case "if" -> ifStatement(line);
            case "for" -> forStatement(line);
            case "set" -> setStatement(line);
            case "macro" -> macro(line);
            case "filter" -> {
                Node.Filter filter = filter(null, true);
                beginBody();
                List<Stmt> body = statements(List.of("endfilter"));
                endTag("endfilter");
                yield new Node.FilterBlock(filter, body, line);
            }
            case "with" -> with(line);
            case "generation" -> {
                beginBody();
                List<Stmt> body = statements(List.of("endgeneration"));
                endTag("endgeneration");
                yield new Node.Generation(body, line);
            }
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw TemplateError.syntax(line, "'" + tag.value() + "' outside a loop");
                }
                expect(Kind.BLOCK_END);
                yield tag.value().equals("break") ? new Node.Break(line) : new Node.Continue(line);
            }
            default -> throw REFUSED.contains(tag.value())
                    ? TemplateError.unsupported("the {% " + tag.value() + " %} tag").at(line)
                    : TemplateError.syntax(line, "unknown tag '" + tag.value() + "'");
        };
    }

    private Stmt ifStatement(int line) {
        List<Expr> tests = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        List<Stmt> otherwise = List.of();
        tests.add(tuple(false, false));
        beginBody();
        while (true) {
            bodies.add(statements(List.of("elif", "else", "endif")));
            Token t = next();
            if (t.isName("elif")) {
                tests.add(tuple(false, false));
                beginBody();
            } else if (t.isName("else")) {
                beginBody();
                otherwise = statements(List.of("endif"));
                endTag("endif");
                break;
            } else {
                expect(Kind.BLOCK_END);
                break;
            }
        }
        return new Node.If(tests, bodies, otherwise, line);
    }

    private Stmt forStatement(int line) {
        Node.Target target = target();
        if (!skipName("in")) {
            throw fail("expected 'in', found " + describe(current()));
        }
        Expr iterable = tuple(false, false);
        Expr filter = skipName("if") ? expression() : null;
        if (current().isName("recursive")) {
            throw TemplateError.unsupported("a recursive loop").at(line);
        }
        beginBody();
        loopDepth++;
        List<Stmt> body = statements(List.of("endfor", "else"));
        loopDepth--;
        List<Stmt> otherwise = List.of();
        if (next().isName("else")) {
            beginBody();
            otherwise = statements(List.of("endfor"));
            endTag("endfor");
        } else {
            expect(Kind.BLOCK_END);
        }
        return new Node.For(target, iterable, filter, body, otherwise, line);
    }

    /** jinja2's parse_assign_target: names (or parenthesised names) separated by commas, a trailing comma making a tuple. */
    private Node.Target target() {
        List<String> names = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (!names.isEmpty()) {
                expectOp(",");
                tuple = true;
            }
            // jinja2 3.1's is_tuple_end never matches its extra end names (it tests the tuple of rules as one rule),
            // so after a trailing comma only the end of the tag ends the targets: "for a, in x" and "set a, = 1" fail
            if (current().kind() == Kind.BLOCK_END) {
                break;
            }
            Expr item = primary();
            if (item instanceof Node.TupleExpr inner) {
                tuple = true;
                inner.items().forEach(e -> names.add(assignable(e)));
            } else {
                names.add(assignable(item));
            }
            if (!current().isOp(",")) {
                break;
            }
        }
        if (names.isEmpty()) {
            throw fail("expected a name to assign to, found " + describe(current()));
        }
        return new Node.Target(names, tuple);
    }

    private static String assignable(Expr e) {
        if (e instanceof Node.Name n) {
            return n.name();
        }
        throw TemplateError.syntax(e.line(), "can only assign to names, not " + e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }

    private Stmt setStatement(int line) {
        if (current().kind() == Kind.NAME && look().isOp(".")) {
            String namespace = next().value();
            next();
            String attribute = expectName().value();
            expectOp("=");
            Expr value = tuple(true, false);
            expect(Kind.BLOCK_END);
            return new Node.SetAttribute(namespace, attribute, value, line);
        }
        Node.Target target = target();
        if (skipOp("=")) {
            Expr value = tuple(true, false);
            expect(Kind.BLOCK_END);
            return new Node.Set(target, value, line);
        }
        Node.Filter filter = current().isOp("|") ? filter(null, false) : null;
        beginBody();
        List<Stmt> body = statements(List.of("endset"));
        endTag("endset");
        return new Node.SetBlock(target, filter, body, line);
    }

    private Stmt macro(int line) {
        String name = expectName().value();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        expectOp("(");
        while (!current().isOp(")")) {
            if (!params.isEmpty()) {
                expectOp(",");
            }
            Token param = expectName();
            if (params.contains(param.value())) {
                throw TemplateError.syntax(param.line(), "duplicate argument '" + param.value() + "' in macro definition");
            }
            params.add(param.value());
            if (skipOp("=")) {
                defaults.add(expression());
            } else if (!defaults.isEmpty()) {
                throw fail("a macro parameter without a default follows one with a default");
            }
        }
        expectOp(")");
        beginBody();
        int savedLoops = loopDepth;
        loopDepth = 0;
        int bodyStart = at;
        List<Stmt> body = statements(List.of("endmacro"));
        for (int i = bodyStart; i < at; i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.NAME && MACRO_SPECIALS.contains(t.value()) && !params.contains(t.value())) {
                throw TemplateError.unsupported("the macro variable '" + t.value() + "'").at(t.line());
            }
        }
        loopDepth = savedLoops;
        endTag("endmacro");
        return new Node.Macro(name, params, defaults, body, line);
    }

    private Stmt with(int line) {
        List<Node.Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (current().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) {
                expectOp(",");
            }
            targets.add(target());
            expectOp("=");
            values.add(expression());
        }
        expect(Kind.BLOCK_END);
        List<Stmt> body = statements(List.of("endwith"));
        endTag("endwith");
        return new Node.With(targets, values, body, line);
    }
}
