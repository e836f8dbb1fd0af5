package dev.spotlight.view.html;

/**
 * Makes JSON text safe to place inside an HTML {@code <script type="application/json">} element.
 * Inside JSON these characters can only occur within string literals, so replacing them with their
 * {@code \}{@code uXXXX} escapes leaves the same JSON value while the HTML parser never sees
 * {@code </script>}, {@code <!--}, or an entity; U+2028/U+2029 are escaped because they end a line in
 * older JavaScript parsers.
 */
final class ScriptSafeJson {
    private ScriptSafeJson() {
    }

    static String escape(String json) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
