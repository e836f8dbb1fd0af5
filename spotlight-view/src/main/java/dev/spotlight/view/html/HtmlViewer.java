package dev.spotlight.view.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotlight.explain.AttentionFlow;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.view.OutputFiles;
import dev.spotlight.view.ViewException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders a {@link BatchCapture} as one self-contained HTML file: the page, its style, its scripts and
 * the data are all inline, nothing is fetched, so it opens offline in any browser. Token text reaches
 * the page only inside the JSON (script-safe, see {@link ScriptSafeJson}) and is drawn with
 * {@code textContent} or on canvas, never as HTML.
 */
public final class HtmlViewer {
    private static final String RESOURCES = "/dev/spotlight/view/html/";
    /** Scripts in load order: helpers first, then one file per view, then the wiring. */
    private static final List<String> SCRIPTS = List.of("core.js", "batch.js", "head.js", "model.js", "matrix.js",
            "explain.js", "main.js");

    private HtmlViewer() {
    }

    /**
     * The most tokens one sequence may have in a page, for a model of {@code layers} × {@code heads}: its
     * attention [layers, heads, n, n] must fit the largest array a page embeds. A caller that decides the
     * length (a generation) checks it before running the model.
     */
    public static int maxTokens(int layers, int heads) {
        long perToken = (long) Math.max(1, layers) * Math.max(1, heads);
        long n = (long) Math.sqrt((double) PackedArray.MAX_VALUES / perToken);
        while (n > 0 && perToken * n * n > PackedArray.MAX_VALUES) {
            n--;
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** The page, with attention flow computed for inputs up to {@link AttentionFlow#DEFAULT_MAX_TOKENS}. */
    public static String render(BatchCapture batch) {
        return render(batch, AttentionFlow.DEFAULT_MAX_TOKENS);
    }

    public static String render(BatchCapture batch, int flowMaxTokens) {
        return render(batch, flowMaxTokens, null);
    }

    /** @param marks per sequence the token sets to mark, e.g. a task's answer (null: none) */
    public static String render(BatchCapture batch, int flowMaxTokens, List<List<TokenMark>> marks) {
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(ViewerData.of(batch, flowMaxTokens, marks));
        } catch (JsonProcessingException e) {
            throw new ViewException("viewer data: cannot serialise to JSON: " + e.getMessage(), e);
        }
        return page(ScriptSafeJson.escape(json), SCRIPTS, "", "");
    }

    /**
     * The live page that {@code spotlight serve} answers at {@code GET /}: the same page, style and
     * scripts with no data, plus a form whose texts go to the server's {@code /attention} (same origin
     * only: the policy adds {@code connect-src 'self'} and nothing else) and whose answers the same
     * views draw.
     */
    public static String livePage() {
        List<String> scripts = new java.util.ArrayList<>(SCRIPTS);
        scripts.add("live.js");
        return page("null", scripts, "; connect-src 'self'", resource("live.html"));
    }

    private static String page(String data, List<String> scriptNames, String connect, String live) {
        StringBuilder scripts = new StringBuilder();
        for (String script : scriptNames) {
            scripts.append("// ").append(script).append('\n').append(resource(script)).append('\n');
        }
        return fill(resource("viewer.html"), List.of(
                new String[] {"/*CONNECT*/", connect},
                new String[] {"/*STYLE*/", resource("viewer.css")},
                new String[] {"<!--LIVE-->", live},
                new String[] {"/*DATA*/", data},
                new String[] {"/*SCRIPT*/", scripts.toString()}));
    }

    /**
     * Replaces each placeholder once, in template order, in a single pass: a token string that happens
     * to spell a placeholder inside the data must stay data.
     */
    private static String fill(String template, List<String[]> placeholders) {
        StringBuilder out = new StringBuilder(template.length() * 2);
        int from = 0;
        for (String[] placeholder : placeholders) {
            int at = template.indexOf(placeholder[0], from);
            if (at < 0) {
                throw new ViewException("viewer.html: placeholder " + placeholder[0] + " missing after offset " + from);
            }
            out.append(template, from, at).append(placeholder[1]);
            from = at + placeholder[0].length();
        }
        return out.append(template, from, template.length()).toString();
    }

    /**
     * The data object the page draws (docs/VIEWER.md), for a live page that receives it over HTTP
     * ({@code /attention}); the static page embeds the same object.
     */
    public static ObjectNode data(BatchCapture batch, int flowMaxTokens) {
        return ViewerData.of(batch, flowMaxTokens);
    }

    public static void write(BatchCapture batch, Path out) {
        write(batch, AttentionFlow.DEFAULT_MAX_TOKENS, out);
    }

    public static void write(BatchCapture batch, int flowMaxTokens, Path out) {
        write(batch, flowMaxTokens, null, out);
    }

    public static void write(BatchCapture batch, int flowMaxTokens, List<List<TokenMark>> marks, Path out) {
        OutputFiles.write(out, "the HTML viewer", path -> Files.writeString(path, render(batch, flowMaxTokens, marks),
                StandardCharsets.UTF_8));
    }

    private static String resource(String name) {
        try (InputStream in = HtmlViewer.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new ViewException(RESOURCES + name + ": viewer resource missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ViewException(RESOURCES + name + ": cannot read viewer resource: " + e.getMessage(), e);
        }
    }
}
