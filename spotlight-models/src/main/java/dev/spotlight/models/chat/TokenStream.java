package dev.spotlight.models.chat;

import dev.spotlight.models.chat.Lexer.Kind;
import dev.spotlight.models.chat.Lexer.Token;
import java.util.List;

/** The parsers' view of the tokens: the current one, one of lookahead, and expectations that fail with the line. */
class TokenStream {
    protected final List<Token> tokens;
    protected int at;

    TokenStream(List<Token> tokens) {
        this.tokens = tokens;
    }

    protected Token current() {
        return tokens.get(at);
    }

    protected Token look() {
        return tokens.get(Math.min(at + 1, tokens.size() - 1));
    }

    protected Token next() {
        Token t = tokens.get(at);
        if (at < tokens.size() - 1) {
            at++;
        }
        return t;
    }

    protected boolean skipName(String name) {
        if (current().isName(name)) {
            next();
            return true;
        }
        return false;
    }

    protected boolean skipOp(String op) {
        if (current().isOp(op)) {
            next();
            return true;
        }
        return false;
    }

    protected Token expectOp(String op) {
        if (!current().isOp(op)) {
            throw fail("expected '" + op + "', found " + describe(current()));
        }
        return next();
    }

    protected Token expectName() {
        if (current().kind() != Kind.NAME) {
            throw fail("expected a name, found " + describe(current()));
        }
        return next();
    }

    protected TemplateError fail(String message) {
        return TemplateError.syntax(current().line(), message);
    }

    static String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "the end of the template";
            case BLOCK_END -> "the end of the statement block";
            case VARIABLE_END -> "the end of the print statement";
            case DATA -> "template data";
            default -> "'" + t.value() + "'";
        };
    }
}
