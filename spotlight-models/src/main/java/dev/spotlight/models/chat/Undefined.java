package dev.spotlight.models.chat;

/**
 * jinja2's default Undefined: what a missing variable, key, attribute or index evaluates to. It prints as
 * nothing, is false, iterates as empty and has length 0; any other use (attribute, item, arithmetic,
 * call, ordering) fails with its hint, as jinja2's UndefinedError does.
 *
 * @param hint jinja2's message, e.g. {@code 'x' is undefined} or {@code 'dict object' has no attribute 'y'}
 */
record Undefined(String hint) {
    static Undefined name(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    static Undefined attribute(Object owner, Object name) {
        return new Undefined("'" + PyValues.typeName(owner) + " object' has no attribute " + PyValues.repr(name));
    }

    TemplateError fail() {
        return new TemplateError("UndefinedError", hint);
    }
}
