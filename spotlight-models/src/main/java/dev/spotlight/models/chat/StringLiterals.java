package dev.spotlight.models.chat;

/**
 * The value of a quoted string in a template, as jinja2's lexer computes it:
 * {@code body.encode("ascii", "backslashreplace").decode("unicode-escape")}. So Python's escapes work
 * (\n, \t, \\, \', \", \xhh, \\uhhhh, \Uhhhhhhhh, octal), an unknown escape such as \q stays as written,
 * and a backslash right before a non-ASCII character escapes the first character of its
 * backslashreplace form, exactly as in Python.
 */
final class StringLiterals {
    private StringLiterals() {
    }

    static String unescape(String body, int line) {
        if (body.indexOf('\\') < 0) {
            return body;
        }
        String ascii = backslashReplace(body);
        StringBuilder out = new StringBuilder(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c != '\\' || i + 1 == ascii.length()) {
                if (c == '\\') {
                    throw TemplateError.syntax(line, "a string literal ends with a lone backslash");
                }
                out.append(c);
                continue;
            }
            char e = ascii.charAt(++i);
            switch (e) {
                case '\n' -> { }  // line continuation
                case '\\', '\'', '"' -> out.append(e);
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000B');
                case 'x' -> i = hex(ascii, i, 2, out, line);
                case 'u' -> i = hex(ascii, i, 4, out, line);
                case 'U' -> i = hex(ascii, i, 8, out, line);
                case 'N' -> throw TemplateError.unsupported("the \\N{…} escape in a string literal").at(line);
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < ascii.length() && end < i + 3 && ascii.charAt(end) >= '0' && ascii.charAt(end) <= '7') {
                            end++;
                        }
                        out.appendCodePoint(Integer.parseInt(ascii.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int hex(String s, int at, int digits, StringBuilder out, int line) {
        if (at + digits >= s.length() || !s.substring(at + 1, at + 1 + digits).matches("[0-9a-fA-F]+")) {
            throw TemplateError.syntax(line, "truncated \\" + s.charAt(at) + " escape in a string literal");
        }
        int cp = (int) Long.parseLong(s.substring(at + 1, at + 1 + digits), 16);
        if (cp > Character.MAX_CODE_POINT) {
            throw TemplateError.syntax(line, "illegal Unicode character in a string literal");
        }
        out.appendCodePoint(cp);
        return at + digits;
    }

    /** Python's "backslashreplace" encoding to ASCII: \xhh, \\uhhhh, \Uhhhhhhhh for each non-ASCII character. */
    private static String backslashReplace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c < 0x80) {
                sb.append((char) c);
            } else {
                PyStrings.escape(sb, c);
            }
        });
        return sb.toString();
    }
}
