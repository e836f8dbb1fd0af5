package dev.spotlight.models.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a template into tokens exactly as jinja2 3.1's lexer does with transformers' settings
 * (trim_blocks, lstrip_blocks, default delimiters, keep_trailing_newline off):
 * <ul>
 *   <li>newlines (\r\n, \r, \n) become \n and one trailing newline of the source is dropped;</li>
 *   <li>{@code {%-} / {@code {{-} / {@code {#-} strip all whitespace before the tag, {@code -%}} /
 *       {@code -}}} / {@code -#}} all whitespace after it;</li>
 *   <li>trim_blocks: the first newline after {@code %}} or {@code #}} is dropped (not after {@code }}});</li>
 *   <li>lstrip_blocks: spaces and tabs from the start of a line up to {@code {%} or {@code {#} are dropped
 *       (not before {@code {{}), "start of a line" including right after a tag that ended with a newline;</li>
 *   <li>{@code +} after an opening delimiter (or before a closing block delimiter) disables both;</li>
 *   <li>{@code {% raw %}…{% endraw %}} is data; comments are dropped.</li>
 * </ul>
 */
final class Lexer {
    enum Kind { DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    record Token(Kind kind, String value, int line) {
        boolean is(Kind k, String v) {
            return kind == k && value.equals(v);
        }

        boolean isName(String v) {
            return is(Kind.NAME, v);
        }

        boolean isOp(String v) {
            return is(Kind.OPERATOR, v);
        }
    }

    private static final String[] OPERATORS = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]",
            "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"};

    private final String src;
    private final int[] newlines;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private boolean lineStarting = true;

    private Lexer(String source) {
        String normalized = source.replace("\r\n", "\n").replace('\r', '\n');
        this.src = normalized.endsWith("\n") ? normalized.substring(0, normalized.length() - 1) : normalized;
        this.newlines = java.util.stream.IntStream.range(0, src.length()).filter(i -> src.charAt(i) == '\n').toArray();
    }

    static List<Token> tokenize(String source) {
        Lexer lexer = new Lexer(source);
        lexer.root();
        lexer.tokens.add(new Token(Kind.EOF, "", lexer.line(lexer.src.length())));
        return lexer.tokens;
    }

    private void root() {
        while (pos < src.length()) {
            int tag = nextTag(pos);
            if (tag < 0) {
                data(src.substring(pos), pos);
                return;
            }
            char kind = src.charAt(tag + 1);
            char sign = sign(tag + 2);
            int rawEnd = kind == '%' ? rawBegin(tag) : -1;
            data(leftStrip(src.substring(pos, tag), sign, kind != '{'), pos);
            if (rawEnd >= 0) {
                raw(rawEnd);
            } else if (kind == '#') {
                comment(tag + (sign == 0 ? 2 : 3));
            } else {
                tag(tag, kind == '{', sign);
            }
        }
    }

    private char sign(int at) {
        return at < src.length() && (src.charAt(at) == '-' || src.charAt(at) == '+') ? src.charAt(at) : 0;
    }

    private int nextTag(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** jinja2's OptionalLStrip: what stays of the data before a tag with the given sign. */
    private String leftStrip(String text, char sign, boolean blockOrComment) {
        if (sign == '-') {
            return PyStrings.rstrip(text, null);
        }
        if (sign != '+' && blockOrComment) {
            int lineStart = text.lastIndexOf('\n') + 1;
            if ((lineStart > 0 || lineStarting) && lineStart < text.length() && allSpace(text, lineStart)) {
                return text.substring(0, lineStart);
            }
        }
        return text;
    }

    private static boolean allSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!PyStrings.isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private void data(String text, int at) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.DATA, text, line(at)));
        }
    }

    /** {@code {%[-+]?\s*raw\s*(-%}\s*|%})} at {@code tag}: the index after it, or -1. No trim_blocks here, as in jinja2. */
    private int rawBegin(int tag) {
        int i = tag + 2 + (sign(tag + 2) != 0 ? 1 : 0);
        i = skipSpace(i);
        if (!src.startsWith("raw", i)) {
            return -1;
        }
        i = skipSpace(i + 3);
        if (src.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        return src.startsWith("%}", i) ? i + 2 : -1;
    }

    private void raw(int start) {
        lineStarting = src.charAt(start - 1) == '\n';
        if (start >= src.length()) {
            pos = start;  // jinja2's failure rule needs one more character: an empty raw block at the end is no error
            return;
        }
        for (int tag = src.indexOf("{%", start); tag >= 0; tag = src.indexOf("{%", tag + 1)) {
            char sign = sign(tag + 2);
            int i = skipSpace(tag + 2 + (sign != 0 ? 1 : 0));
            if (!src.startsWith("endraw", i)) {
                continue;
            }
            int end = blockEnd(skipSpace(i + 6));
            if (end < 0) {
                continue;
            }
            data(leftStrip(src.substring(start, tag), sign, true), start);
            pos = end;
            lineStarting = src.charAt(end - 1) == '\n';
            return;
        }
        throw syntax(line(start), "missing end of raw directive");
    }

    private void comment(int start) {
        if (start >= src.length()) {
            pos = start;  // as for raw: a comment opened at the very end is no error in jinja2
            return;
        }
        for (int i = src.indexOf('#', start); i >= 0; i = src.indexOf('#', i + 1)) {
            if (!src.startsWith("#}", i)) {
                continue;
            }
            char before = i > start ? src.charAt(i - 1) : 0;
            int end = i + 2;
            if (before == '-') {
                end = skipSpace(end);
            } else if (before != '+' && end < src.length() && src.charAt(end) == '\n') {
                end++;  // trim_blocks
            }
            pos = end;
            lineStarting = src.charAt(end - 1) == '\n';
            return;
        }
        throw syntax(line(start), "missing end of comment tag");
    }

    /** The end of {@code (\+%}|-%}\s*|%}\n?)} at i, or -1. */
    private int blockEnd(int i) {
        if (src.startsWith("+%}", i)) {
            return i + 3;
        }
        if (src.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        if (src.startsWith("%}", i)) {
            return i + 2 < src.length() && src.charAt(i + 2) == '\n' ? i + 3 : i + 2;  // trim_blocks
        }
        return -1;
    }

    private int variableEnd(int i) {
        if (src.startsWith("-}}", i)) {
            return skipSpace(i + 3);
        }
        return src.startsWith("}}", i) ? i + 2 : -1;
    }

    private int skipSpace(int i) {
        while (i < src.length() && PyStrings.isSpace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    private void tag(int tag, boolean variable, char sign) {
        int startLine = line(tag);
        tokens.add(new Token(variable ? Kind.VARIABLE_BEGIN : Kind.BLOCK_BEGIN, variable ? "{{" : "{%", startLine));
        pos = tag + 2 + (sign != 0 ? 1 : 0);
        Deque<Character> balance = new ArrayDeque<>();
        while (true) {
            if (pos >= src.length()) {
                throw syntax(startLine, "unexpected end of template: the " + (variable ? "{{" : "{%") + " opened here is never closed");
            }
            if (balance.isEmpty()) {
                int end = variable ? variableEnd(pos) : blockEnd(pos);
                if (end >= 0) {
                    tokens.add(new Token(variable ? Kind.VARIABLE_END : Kind.BLOCK_END, variable ? "}}" : "%}", line(pos)));
                    pos = end;
                    lineStarting = src.charAt(end - 1) == '\n';
                    return;
                }
            }
            char c = src.charAt(pos);
            if (PyStrings.isSpace(c)) {
                pos++;
            } else if (Character.isDigit(c)) {
                number();
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Kind.NAME, src.substring(start, pos), line(start)));
            } else if (c == '\'' || c == '"') {
                string(c);
            } else {
                operator(balance);
            }
        }
    }

    private void number() {
        int start = pos;
        int line = line(pos);
        if (src.charAt(pos) == '0' && pos + 1 < src.length() && "bBoOxX".indexOf(src.charAt(pos + 1)) >= 0) {
            throw TemplateError.syntax(line, "binary, octal and hexadecimal literals are not supported");
        }
        digits();
        boolean isFloat = false;
        boolean precededByDot = start > 0 && src.charAt(start - 1) == '.';
        if (!precededByDot && pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            digits();
            isFloat = true;
        }
        if (!precededByDot && pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                digits();
                isFloat = true;
            } else {
                pos = mark;
            }
        }
        String text = src.substring(start, pos).replace("_", "");
        if (!isFloat && text.length() > 1 && text.charAt(0) == '0' && !text.matches("0+")) {
            pos = start + 1;  // jinja2 reads "0" then the rest as another token; the parser rejects that
            text = "0";
        }
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INTEGER, text, line));
    }

    private void digits() {
        while (pos < src.length() && (Character.isDigit(src.charAt(pos))
                || (src.charAt(pos) == '_' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))))) {
            pos++;
        }
    }

    private void string(char quote) {
        int start = pos;
        int i = pos + 1;
        while (i < src.length() && src.charAt(i) != quote) {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= src.length()) {
            throw syntax(line(start), "unterminated string literal");
        }
        tokens.add(new Token(Kind.STRING, StringLiterals.unescape(src.substring(start + 1, i), line(start)), line(start)));
        pos = i + 1;
    }

    private void operator(Deque<Character> balance) {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                char c = op.charAt(0);
                if (op.length() == 1 && "([{".indexOf(c) >= 0) {
                    balance.push(")]}".charAt("([{".indexOf(c)));
                } else if (op.length() == 1 && ")]}".indexOf(c) >= 0) {
                    if (balance.isEmpty() || balance.pop() != c) {
                        throw syntax(line(pos), "unexpected '" + c + "'");
                    }
                }
                tokens.add(new Token(Kind.OPERATOR, op, line(pos)));
                pos += op.length();
                return;
            }
        }
        throw syntax(line(pos), "unexpected char " + PyStrings.repr(String.valueOf(src.charAt(pos))));
    }

    /** 1 + the number of newlines before {@code at}. */
    private int line(int at) {
        int i = java.util.Arrays.binarySearch(newlines, at);
        return (i < 0 ? -i - 1 : i) + 1;
    }

    private static TemplateError syntax(int line, String message) {
        return TemplateError.syntax(line, message);
    }
}
