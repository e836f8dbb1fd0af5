package dev.spotlight.models.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotlight.models.ModelException;
import dev.spotlight.models.ModelFormatException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the renderer refuses: Jinja features it lacks (refused when parsed, or when first used, never
 * approximated), values Python would print as a memory address, and unbounded work. Every error is one
 * line naming the template and line. Failures Python shares are proven by the goldens instead.
 */
class ChatTemplateErrorsTest {
    private static final Map<String, Object> VARS = Map.of("messages", List.of(Map.of("role", "user", "content", "hi")),
            "n", 3L);

    private static String parseError(String template) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ChatTemplate.parse(template, "t"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static String renderError(String template) {
        ModelException e = assertThrows(ModelException.class, () -> ChatTemplate.parse(template, "t").render(VARS));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void tagsOutsideTheSubsetAreRefusedWithTheirLine() {
        assertEquals("t line 2: the {% include %} tag is not supported by Spotlight's chat template renderer",
                parseError("x\n{% include 'a.jinja' %}"));
        assertTrue(parseError("{% extends 'base' %}").contains("{% extends %} tag is not supported"));
        assertTrue(parseError("{% call m() %}x{% endcall %}").contains("{% call %} tag is not supported"));
        assertTrue(parseError("{% for x in y recursive %}{% endfor %}").contains("a recursive loop is not supported"));
        assertTrue(parseError("{% macro m() %}{{ varargs }}{% endmacro %}").contains("the macro variable 'varargs' is not supported"));
        assertTrue(parseError("{{ f(*args) }}").contains("*args or **kwargs in a call is not supported"));
        // jinja2 prints it as "inf" or fails with a NameError, depending on its constant folding
        assertTrue(parseError("{{ 1e999 }}").contains("a float literal beyond the double range is not supported"));
    }

    @Test
    void filtersOutsideTheSubsetAreRefusedWhenParsed() {
        assertEquals("t line 3: the filter 'batch' is not supported by Spotlight's chat template renderer",
                parseError("\n\n{{ messages | batch(2) | list }}"));
        assertTrue(parseError("{{ x | wordwrap }}").contains("the filter 'wordwrap'"));
        assertEquals("t line 1: syntax error: no filter named 'nope'", parseError("{{ x | nope }}"));
    }

    @Test
    void pythonMethodsOutsideTheSubsetFailWhenCalledNeverRenderingNothing() {
        assertEquals("t line 1: str.zfill() is not supported by Spotlight's chat template renderer", renderError("{{ 'a'.zfill(3) }}"));
        assertTrue(renderError("{{ '%s!' % n }}").contains("printf-style string formatting"));
        assertTrue(renderError("{{ '{}'.format(n) }}").contains("str.format() is not supported"));
    }

    @Test
    void valuesPythonWouldPrintAsAnAddressAreRefused() {
        assertTrue(renderError("{{ messages | selectattr('role') }}").contains("printing a generator"));
        assertTrue(renderError("{{ 'a'.strip }}").contains("printing the method str.strip"));
        assertTrue(renderError("{{ cycler() }}").contains("the global cycler() is not supported"));
    }

    @Test
    void unboundedWorkIsRefused() {
        assertTrue(renderError("{{ 'x' * 100000000 }}").contains("MemoryError"));
        assertTrue(renderError("{{ 10 ** 30 }}").contains("OverflowError"));
        assertTrue(renderError("{% macro m(i) %}{{ m(i + 1) }}{% endmacro %}{{ m(0) }}").contains("RecursionError"));
        assertTrue(renderError("{% for i in range(100001) %}{% endfor %}").contains("Range too big"));
    }

    /**
     * Work that writes nothing is bounded too: nested loops of 10^10 iterations, a macro calling itself
     * twice per level (2^60 calls) and a list rebuilt in every iteration would each run for hours, in
     * jinja2 as here; they stop after the step or volume budget instead, naming the line.
     */
    @Test
    void loopsAndMacrosThatWouldRunForHoursStopWithTheirLine() {
        assertEquals("t line 2: a render of more than 20,000,000 steps or 268,435,456 characters and items built (a loop or"
                + " a recursive macro that would run for minutes) is not supported by Spotlight's chat template renderer",
                renderError("{% for m in messages %}{{ m.content }}{% endfor %}\n"
                        + "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"));
        assertTrue(renderError("{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}")
                .contains("a render of more than"));
        assertTrue(renderError("{% for i in range(100000) %}{% set l = range(100000) | list %}{% endfor %}")
                .contains("a render of more than"));
    }

    @Test
    void aMultiLineMessageFromTheTemplateStaysOneLine() {
        assertEquals("t line 1: the template refused the conversation: first\\nsecond",
                renderError("{{ raise_exception('first\\nsecond') }}"));
    }

    @Test
    void syntaxErrorsNameTheirLine() {
        assertEquals("t line 2: syntax error: unexpected end of template: the {% opened here is never closed",
                parseError("ok\n{% if x "));
        assertEquals("t line 3: syntax error: unexpected end of template: expected one of elif, else, endif",
                parseError("{% if x %}\n\nnever closed"));
        assertTrue(parseError("{{ 'abc }}").contains("unterminated string literal"));
    }
}
