package dev.spotlight.explain;

import java.util.Locale;

/**
 * Which keys a query may attend to, over the real tokens of one sequence (pads are never in the
 * matrix): every key (an encoder), the keys up to the query (a decoder), or the last {@code window}
 * of them (Mistral's sliding window, where key {@code j} is visible to query {@code i} iff
 * {@code j <= i} and {@code i - j < window}, as Hugging Face's sliding-window mask).
 *
 * @param kind   the mask kind
 * @param window the sliding window's length, at least 1; 0 for the other kinds
 */
public record AttentionPattern(Kind kind, int window) {

    /** The mask kinds a capture can carry; {@link #jsonName()} is the viewer JSON's spelling. */
    public enum Kind {
        BIDIRECTIONAL, CAUSAL, SLIDING_WINDOW;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final AttentionPattern BIDIRECTIONAL = new AttentionPattern(Kind.BIDIRECTIONAL, 0);
    private static final AttentionPattern CAUSAL = new AttentionPattern(Kind.CAUSAL, 0);

    public AttentionPattern {
        if (kind == null) {
            throw new ExplainException("pattern: expected bidirectional, causal or sliding_window, got null");
        }
        if (kind == Kind.SLIDING_WINDOW ? window < 1 : window != 0) {
            throw new ExplainException("pattern " + kind.jsonName() + ": window " + window + ", expected "
                    + (kind == Kind.SLIDING_WINDOW ? "at least 1" : "0 (only sliding_window has a window)"));
        }
    }

    /** Every query sees every key (BERT-family encoders). */
    public static AttentionPattern bidirectional() {
        return BIDIRECTIONAL;
    }

    /** A query sees itself and the keys before it (decoder-only language models). */
    public static AttentionPattern causal() {
        return CAUSAL;
    }

    /** A query sees itself and the {@code window - 1} keys before it. */
    public static AttentionPattern slidingWindow(int window) {
        return new AttentionPattern(Kind.SLIDING_WINDOW, window);
    }

    /** Whether key {@code key} may receive attention from query {@code query} (indices over real tokens). */
    public boolean visible(int query, int key) {
        return switch (kind) {
            case BIDIRECTIONAL -> true;
            case CAUSAL -> key <= query;
            case SLIDING_WINDOW -> key <= query && query - key < window;
        };
    }

    /** True unless every key is visible to every query. */
    public boolean masksKeys() {
        return kind != Kind.BIDIRECTIONAL;
    }

    /**
     * The pattern of {@code layers} such attention graphs chained through their residual connections,
     * as rollout and flow chain them: causal stays causal, but each sliding-window layer reaches
     * {@code window - 1} keys further back, so {@code layers} of them reach {@code layers · (window - 1)}.
     * Entries outside it are exactly 0 in rollout and flow; inside it they may be anything.
     */
    public AttentionPattern throughLayers(int layers) {
        if (layers < 1) {
            throw new ExplainException("pattern through " + layers + " layers: expected at least 1 layer");
        }
        if (kind != Kind.SLIDING_WINDOW) {
            return this;
        }
        long reach = (long) layers * (window - 1) + 1;
        return reach >= Integer.MAX_VALUE ? CAUSAL : slidingWindow((int) reach);
    }

    /** {@code bidirectional}, {@code causal} or {@code sliding_window(4096)}, for messages. */
    @Override
    public String toString() {
        return kind == Kind.SLIDING_WINDOW ? kind.jsonName() + "(" + window + ")" : kind.jsonName();
    }
}
