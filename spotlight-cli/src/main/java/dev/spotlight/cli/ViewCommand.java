package dev.spotlight.cli;

import dev.spotlight.explain.AttentionFlow;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.explain.SequenceCapture;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.server.CaptureConversion;
import dev.spotlight.tokenizers.Direction;
import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Truncation;
import dev.spotlight.view.Heatmap;
import dev.spotlight.view.Heatmaps;
import dev.spotlight.view.OutputMark;
import dev.spotlight.view.ansi.AnsiHeatmap;
import dev.spotlight.view.html.HtmlViewer;
import dev.spotlight.view.image.HeatmapImage;
import dev.spotlight.view.image.HeatmapSvg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight view TEXT… [--pair TEXT] [--model M] [--out FILE] [--format html|png|svg|ansi]}:
 * runs the model with attention capture and writes the self-contained HTML viewer (docs/VIEWER.md),
 * a static heatmap of one head, a layer's mean or the rollout, or prints that heatmap in the terminal.
 */
@Command(name = "view",
        mixinStandardHelpOptions = true,
        description = "Run a model with attention capture; write an HTML viewer, a PNG/SVG heatmap, or print an ANSI heatmap.")
public final class ViewCommand implements Callable<Integer> {

    enum Format { HTML, PNG, SVG, ANSI }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "One or more inputs; several form one padded batch.")
    List<String> texts;

    @Option(names = "--pair", paramLabel = "TEXT",
            description = "Second segment (sentence pairs): once for every input, or once per input in order.")
    List<String> pairs;

    @Option(names = "--model", paramLabel = "M", description = "Built-in name, model folder, .onnx file or jar (default: all-MiniLM-L6-v2).")
    String model;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: attention.html, .png or .svg).")
    Path out;

    @Option(names = "--force", description = "Overwrite the output file even if spotlight did not write it.")
    boolean force;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "html, png, svg or ansi (default: from --out's extension, else html).")
    String format;

    @Option(names = "--padding-side", paramLabel = "SIDE", defaultValue = "right",
            description = "Where pads go in a batch: left or right (default: right).")
    String paddingSide;

    @Option(names = "--layer", paramLabel = "L", description = "png/svg/ansi: the layer (0-based).")
    Integer layer;

    @Option(names = "--head", paramLabel = "H", description = "png/svg/ansi: the head (0-based); without it, the mean over heads.")
    Integer head;

    @Option(names = "--rollout", description = "png/svg/ansi: attention rollout through all layers instead of one layer.")
    boolean rollout;

    @Option(names = "--sequence", paramLabel = "I", defaultValue = "0", description = "png/svg/ansi: which input to draw (0-based).")
    int sequence;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Truncate each input to N tokens (default: the tokenizer's own limit, 128 for all-MiniLM-L6-v2;"
                    + " at most the model's position embeddings).")
    Integer maxTokens;

    @Option(names = "--flow-max-tokens", paramLabel = "N", defaultValue = "" + AttentionFlow.DEFAULT_MAX_TOKENS,
            description = "html: compute attention flow for inputs of at most N tokens, 0.." + AttentionFlow.MAX_TOKENS
                    + " (default: ${DEFAULT-VALUE}; the work grows as N⁴).")
    int flowMaxTokens;

    @Override
    public Integer call() {
        Format chosen = parseFormat();
        PaddingSide side = parseSide();
        List<String> pairTexts = pairTexts();
        checkHeatmapOptions(chosen);
        if (flowMaxTokens < 0) {
            throw new ParameterException(spec.commandLine(), "--flow-max-tokens " + flowMaxTokens + ": expected 0.."
                    + AttentionFlow.MAX_TOKENS + " (0: no attention flow)");
        }
        if (flowMaxTokens > AttentionFlow.MAX_TOKENS) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--flow-max-tokens %d: expected 0..%d"
                    + " (attention flow runs one max-flow per token pair, work that grows as N⁴: %d tokens would take about %s"
                    + " over 6 layers)", flowMaxTokens, AttentionFlow.MAX_TOKENS, flowMaxTokens,
                    duration(AttentionFlow.estimatedSeconds(flowMaxTokens, 6))));
        }
        Path target = out != null ? out : Path.of("attention." + chosen.name().toLowerCase(Locale.ROOT));
        if (chosen != Format.ANSI) {
            ViewerOutput.checkOverwrite(spec.commandLine(), target, force, "--out");
        }
        long start = System.nanoTime();
        BatchCapture batch;
        try (EncoderModel encoder = Spotlight.load(model)) {
            EncodeOptions options = encoder.options();
            options = options.withPadding(options.padding().withDirection(side == PaddingSide.LEFT ? Direction.Left : Direction.Right));
            if (maxTokens != null) {
                // RoBERTa-style models start positions after the pad id (as EncoderModel's own limit does).
                String type = encoder.config().modelType();
                int positions = encoder.config().maxPositionEmbeddings() - (List.of("roberta", "xlm-roberta", "camembert")
                        .contains(type) ? encoder.config().padTokenId() + 1 : 0);
                if (maxTokens < 1 || maxTokens > positions) {
                    throw new ParameterException(spec.commandLine(), "--max-tokens " + maxTokens + ": expected 1.." + positions
                            + " (" + encoder.name() + " has " + positions + " position embeddings)");
                }
                options = options.withTruncation(Truncation.of(maxTokens));
            }
            Capture capture = chosen == Format.HTML ? Capture.EXPLAIN : Capture.ATTENTIONS;
            EncoderModel.Encoded encoded = encoder.encode(texts, pairTexts, options, capture);
            long cut = encoded.encodings().stream().filter(e -> !e.overflowing().isEmpty()).count();
            if (cut > 0) {
                spec.commandLine().getErr().printf(Locale.ROOT, "spotlight: %d of %d input(s) were longer than %d tokens and were"
                        + " cut there (--max-tokens sets the limit)%n", cut, texts.size(), options.truncation().maxLength());
            }
            batch = CaptureConversion.of(encoder.name(), encoded, captions(pairTexts), side);
        }
        if (chosen == Format.ANSI) {
            spec.commandLine().getOut().print(AnsiHeatmap.render(heatmap(batch)));
            // print, unlike println, does not flush picocli's writer, and main exits right after.
            spec.commandLine().getOut().flush();
            return 0;
        }
        switch (chosen) {
            case HTML -> HtmlViewer.write(batch, flowMaxTokens, target);
            case PNG -> HeatmapImage.writePng(heatmap(batch), target);
            case SVG -> HeatmapSvg.write(heatmap(batch), target);
            default -> throw new IllegalStateException(chosen.name());
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%s, %d input(s), %d layers × %d heads, %s, %.1f s)%n",
                target, batch.model(), batch.sequences().size(), batch.layers(), batch.heads(), ViewerOutput.size(target),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static String duration(double seconds) {
        return seconds < 120 ? Math.round(seconds) + " s" : seconds < 7200 ? Math.round(seconds / 60) + " minutes"
                : Math.round(seconds / 3600) + " hours";
    }

    private Heatmap heatmap(BatchCapture batch) {
        if (sequence < 0 || sequence >= batch.sequences().size()) {
            throw new ParameterException(spec.commandLine(), "--sequence " + sequence + ": expected 0.."
                    + (batch.sequences().size() - 1));
        }
        SequenceCapture capture = batch.sequences().get(sequence);
        if (rollout) {
            return Heatmaps.rollout(capture);
        }
        return head == null ? Heatmaps.meanOverHeads(capture, layer) : Heatmaps.head(capture, layer, head);
    }

    private void checkHeatmapOptions(Format chosen) {
        boolean any = layer != null || head != null || rollout;
        if (chosen == Format.HTML) {
            if (any) {
                throw new ParameterException(spec.commandLine(),
                        "--layer, --head and --rollout choose a static heatmap: use them with --format png, svg or ansi");
            }
            return;
        }
        if (rollout && (layer != null || head != null)) {
            throw new ParameterException(spec.commandLine(), "--rollout covers all layers and heads: drop --layer/--head");
        }
        if (!rollout && layer == null) {
            throw new ParameterException(spec.commandLine(),
                    "--format " + chosen.name().toLowerCase(Locale.ROOT) + " draws one matrix: give --layer L [--head H], or --rollout");
        }
    }

    /**
     * The format named, or the one {@code --out}'s extension names; a file whose extension says one
     * format never receives another (x.png used to get HTML).
     */
    private Format parseFormat() {
        Format named = null;
        if (format != null) {
            try {
                named = Format.valueOf(format.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--format " + format + ": expected html, png, svg or ansi");
            }
        }
        Format implied = out == null ? null : switch (extension(out)) {
            case "html", "htm" -> Format.HTML;
            case "png" -> Format.PNG;
            case "svg" -> Format.SVG;
            default -> null;
        };
        if (named == null && out != null && implied == null && !java.nio.file.Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": cannot tell the format from the file name;"
                    + " name it .html, .png or .svg, or give --format html, png or svg");
        }
        if (named != null && implied != null && named != implied && named != Format.ANSI) {
            throw new ParameterException(spec.commandLine(), "--format " + format + " does not match --out " + out
                    + ": give a file name ending in ." + named.name().toLowerCase(Locale.ROOT));
        }
        return named != null ? named : implied != null ? implied : Format.HTML;
    }

    private static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private PaddingSide parseSide() {
        return switch (paddingSide.toLowerCase(Locale.ROOT)) {
            case "left" -> PaddingSide.LEFT;
            case "right" -> PaddingSide.RIGHT;
            default -> throw new ParameterException(spec.commandLine(), "--padding-side " + paddingSide + ": expected left or right");
        };
    }

    private List<String> pairTexts() {
        if (pairs == null || pairs.isEmpty()) {
            return null;
        }
        if (pairs.size() == 1) {
            return java.util.Collections.nCopies(texts.size(), pairs.getFirst());
        }
        if (pairs.size() != texts.size()) {
            throw new ParameterException(spec.commandLine(), pairs.size() + " --pair values for " + texts.size()
                    + " inputs: give one for all, or one per input");
        }
        return pairs;
    }

    private List<String> captions(List<String> pairTexts) {
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            captions.add(pairTexts == null ? texts.get(i) : texts.get(i) + " ‖ " + pairTexts.get(i));
        }
        return captions;
    }
}
