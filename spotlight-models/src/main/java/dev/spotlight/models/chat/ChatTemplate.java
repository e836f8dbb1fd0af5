package dev.spotlight.models.chat;

import dev.spotlight.models.ModelException;
import dev.spotlight.models.ModelFormatException;
import dev.spotlight.models.chat.Node.Stmt;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face chat template (a Jinja program from tokenizer_config.json), parsed once and rendered as
 * transformers' apply_chat_template renders it: Python's jinja2 with trim_blocks and lstrip_blocks in an
 * immutable sandbox, with transformers' tojson, raise_exception and strftime_now, Python semantics for
 * every value. Output equals jinja2 3.1's byte for byte on the golden corpus (ChatTemplateGoldenTest).
 * <p>
 * A template using a Jinja feature this renderer lacks is refused when parsed, naming the feature and its
 * line; a render that fails in Python (raise_exception, an undefined value used, a type error) fails here
 * too. Thread-safe: a parsed template is immutable.
 */
public final class ChatTemplate {
    private final String source;
    private final String origin;
    private final List<Stmt> body;

    private ChatTemplate(String source, String origin, List<Stmt> body) {
        this.source = source;
        this.origin = origin;
        this.body = body;
    }

    /**
     * Parses a template.
     *
     * @param origin where it came from, for messages (e.g. "stories260K tokenizer_config.json chat_template")
     * @throws ModelFormatException one line naming the origin, the line and what is wrong or unsupported
     */
    public static ChatTemplate parse(String source, String origin) {
        try {
            return new ChatTemplate(source, origin, Parser.parse(source));
        } catch (TemplateError e) {
            throw new ModelFormatException(message(origin, e));
        }
    }

    public String source() {
        return source;
    }

    public String origin() {
        return origin;
    }

    /** Renders with the given variables (messages, add_generation_prompt, bos_token, …) at the system clock's time. */
    public String render(Map<String, ?> variables) {
        return render(variables, Clock.systemDefaultZone());
    }

    /**
     * Renders with the given variables; strftime_now reads {@code clock}. Values may be Java strings,
     * numbers, booleans, null, lists and maps (insertion order kept), or Jackson nodes.
     *
     * @throws ModelException one line naming the origin and line: the template's own raise_exception
     *                        message, or the Python error the render would end in
     */
    public String render(Map<String, ?> variables, Clock clock) {
        Globals globals = new Globals(clock);
        Scope context = new Scope(globals.scope());
        try {
            variables.forEach((k, v) -> context.set(k, PyValues.fromJava(v)));
            return new Renderer(globals).render(body, new Scope(context));
        } catch (TemplateError e) {
            throw new ModelException(message(origin, e));
        }
    }

    private static String message(String origin, TemplateError e) {
        String where = origin + (e.line > 0 ? " line " + e.line : "");
        String text = e.getMessage().replace("\r", "\\r").replace("\n", "\\n");
        return switch (e.kind) {
            case "TemplateError" -> where + ": the template refused the conversation: " + text;
            case "TemplateSyntaxError" -> where + ": syntax error: " + text;
            case "Unsupported" -> where + ": " + text;
            default -> where + ": " + e.kind + ": " + text;
        };
    }
}
