package dev.spotlight.cli;

import dev.spotlight.explain.AttentionFlow;
import dev.spotlight.explain.BatchCapture;
import dev.spotlight.explain.PaddingSide;
import dev.spotlight.explain.SequenceCapture;
import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.tasks.TaskModel;
import dev.spotlight.server.CaptureConversion;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.view.html.HtmlViewer;
import dev.spotlight.view.html.TokenMark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The sequences a task command shows in the viewer, gathered from one or more forward passes (a
 * question's windows, a text's label pairs) with the tokens that carry the answer marked.
 */
final class TaskViewer {
    /** How many tokens "what it attended to" lists. */
    static final int ATTENDED = 3;

    private record Entry(TaskModel.Run run, int sequence, String caption, List<TokenMark> marks) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final boolean enabled;

    /** @param enabled false when no viewer is written: additions are ignored and their marks never computed */
    TaskViewer(boolean enabled) {
        this.enabled = enabled;
    }

    /** How many windows of one long text the viewer shows; past it, only the ones a command picks. */
    static final int VIEWED_WINDOWS = 4;

    /** The tokens to mark in a window shown: {@code window} of the text, sequence {@code sequence} of {@code run}. */
    @FunctionalInterface
    interface WindowMarks {
        List<TokenMark> of(TaskModel.Run run, int sequence, int window);
    }

    /**
     * Adds windows of a text cut into {@code windows}: all of them when there are at most
     * {@link #VIEWED_WINDOWS}, else {@code picked} (in order; the first window when it is empty). Only
     * those run again, with attention: a long text's passes keep none, and capture changes no output
     * bit. {@code caption} gets a window's index.
     */
    void addWindows(TaskModel model, List<Encoding> windows, Supplier<List<Integer>> picked, IntFunction<String> caption,
                    WindowMarks marks) {
        if (!enabled) {
            return;
        }
        List<Integer> shown = windows.size() <= VIEWED_WINDOWS ? IntStream.range(0, windows.size()).boxed().toList()
                : picked.get();
        if (shown.isEmpty()) {
            shown = List.of(0);
        }
        TaskModel.Run run = model.run(shown.stream().map(windows::get).toList(), Capture.EXPLAIN);
        for (int i = 0; i < shown.size(); i++) {
            int sequence = i;
            int window = shown.get(i);
            add(run, sequence, caption.apply(window), () -> marks.of(run, sequence, window));
        }
    }

    /** Adds sequence {@code sequence} of {@code run} with the tokens {@code marks} names (the run captured attention). */
    void add(TaskModel.Run run, int sequence, String caption, Supplier<List<TokenMark>> marks) {
        if (enabled) {
            entries.add(new Entry(run, sequence, caption, List.copyOf(marks.get())));
        }
    }

    int size() {
        return entries.size();
    }

    void write(String model, Path file) {
        int longest = entries.stream().mapToInt(e -> e.run().encodings().get(e.sequence()).length()).max().orElse(0);
        Padding padding = Padding.batchLongest().withFixed(longest);
        List<SequenceCapture> sequences = new ArrayList<>();
        List<List<TokenMark>> marks = new ArrayList<>();
        for (Entry e : entries) {
            List<Encoding> padded = padding.apply(e.run().encodings());
            List<String> captions = new ArrayList<>(java.util.Collections.nCopies(padded.size(), e.caption()));
            BatchCapture one = CaptureConversion.of(model, new EncoderModel.Encoded(padded, e.run().output()), captions,
                    PaddingSide.RIGHT);
            sequences.add(one.sequences().get(e.sequence()));
            marks.add(e.marks());
        }
        HtmlViewer.write(new BatchCapture(model, PaddingSide.RIGHT, sequences), AttentionFlow.DEFAULT_MAX_TOKENS, marks, file);
    }

    /**
     * The {@link #ATTENDED} keys among {@code candidates} that the {@code queries} attend to most in the
     * last layer, mean over heads and queries: "what the answer attended to".
     */
    static List<Integer> attended(TaskModel.Run run, int sequence, List<Integer> queries, IntPredicate candidates) {
        EncoderOutput output = run.output();
        int layers = output.attentions().length;
        int heads = output.heads();
        int n = output.batch().length(sequence);
        float[] a = output.attention(layers - 1, sequence); // [heads, n, n]
        double[] weight = new double[n];
        for (int h = 0; h < heads; h++) {
            for (int q : queries) {
                for (int k = 0; k < n; k++) {
                    weight[k] += a[(h * n + q) * n + k];
                }
            }
        }
        return IntStream.range(0, n).filter(candidates).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> -weight[k]).thenComparingInt(k -> k))
                .limit(ATTENDED).sorted().toList();
    }

    /** The label for "what it attended to". */
    static String attendedLabel(String what) {
        return "attended by " + what + " (last layer, mean of heads)";
    }

    /** Non-special tokens of a sequence. */
    static IntPredicate words(Encoding e) {
        int[] special = e.specialTokensMask();
        return k -> k < special.length && special[k] == 0;
    }
}
