package dev.spotlight.models.chat;

/**
 * A failure while rendering, named as Python names it (TypeError, UndefinedError, …) so that a template
 * that fails in jinja2 fails here too, never rendering a different prompt. The renderer adds the line of
 * the statement that failed; {@link ChatTemplate} turns it into the module's exception.
 */
final class TemplateError extends RuntimeException {
    /** What failed, as Python's exception class: "TypeError", "UndefinedError", "TemplateError" (raise_exception) … */
    final String kind;
    int line;

    TemplateError(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static TemplateError type(String message) {
        return new TemplateError("TypeError", message);
    }

    static TemplateError value(String message) {
        return new TemplateError("ValueError", message);
    }

    /** A template that does not parse, as jinja2's TemplateSyntaxError. */
    static TemplateError syntax(int line, String message) {
        return new TemplateError("TemplateSyntaxError", message).at(line);
    }

    /** A construct Python's jinja2 supports that this renderer does not: refused, never approximated. */
    static TemplateError unsupported(String what) {
        return new TemplateError("Unsupported", what + " is not supported by Spotlight's chat template renderer");
    }

    TemplateError at(int line) {
        if (this.line == 0) {
            this.line = line;
        }
        return this;
    }
}
