package dev.spotlight.models.generation;

import dev.spotlight.tokenizers.Tokenizer;

import java.util.Arrays;

/**
 * Incremental detokenization of one sequence: push the generated ids one at a time and get back
 * the text that has become final. Once {@link #finish()} has returned, the pieces joined equal
 * {@code tokenizer.decode(ids, skipSpecialTokens)} of all pushed ids; with prompt ids as context, they
 * equal that decode of prompt + generated ids minus the prompt's text ({@link #contextText()}), the
 * continuation transformers' text-generation pipeline returns.
 *
 * <p><b>What is held back.</b> Only text that a later token can still change: a run of byte-fallback
 * pieces ({@code <0xE2>}) at the end, because the Rust ByteFallback decoder turns a whole run into
 * text or, if any byte of it is invalid, into one U+FFFD per byte; and U+FFFD characters at the end,
 * which is how an incomplete UTF-8 sequence of byte-level tokens decodes. So no half character and no
 * raw {@code <0x..>} piece is ever released, and a byte-fallback character appears with the first token
 * after its run. transformers' {@code TextStreamer} re-decodes its cache and also holds back the last
 * word (text after the last space, unless it ends in a CJK character) and restarts its cache after each
 * newline. The word rule exists because its output could change; here nothing released can change, so
 * words are released at once. The newline restart is not followed because it changes the text: a
 * decoder that strips the leading space of the text (Llama's {@code Strip} step) or of the first token
 * (Metaspace) then eats the space after every newline, where decoding everything keeps it.
 *
 * <p><b>Cost.</b> Each push decodes a window of the last few ids (at most about 16, more only while a
 * byte run or an incomplete character stays open), not the whole history. The window starts at a
 * token that is not inside a byte run and carries at least one earlier token of non-empty text as
 * context, so the decoder's start-of-text rules (Strip, Metaspace's and WordPiece's first token) apply
 * inside the context and never to new text. If the windowed text ever disagreed with what was already
 * released, the stream falls back to decoding everything; {@link #finish()} decodes everything once
 * and throws if the released text is not its prefix, so a decoder outside these rules cannot go
 * unnoticed.
 *
 * <p>Not thread-safe: one stream per sequence.
 */
public final class TextStream {
    /** Window length (ids) at which the window is moved forward. */
    private static final int MAX_WINDOW = 16;

    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids = new int[32];
    private boolean[] byteToken = new boolean[32];
    private int count;
    private int start;                     // the window: ids[start, count)
    private String window = "";            // decode(ids[start, count))
    private int released;                  // chars of window already released (or part of the context text)
    private final String contextText;
    private final StringBuilder text = new StringBuilder();
    private boolean finished;
    private int rebuilds;                  // times the window disagreed with released text (tests watch it)

    /** A stream of the ids pushed, with no context. */
    public TextStream(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this(tokenizer, skipSpecialTokens, new int[0]);
    }

    /**
     * A stream that continues {@code contextIds} (a prompt): their text is not released, it only
     * gives the decoder its context, so the first generated word keeps its leading space.
     */
    public TextStream(Tokenizer tokenizer, boolean skipSpecialTokens, int[] contextIds) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
        for (int id : contextIds) {
            append(id);
        }
        window = decode(0, count);
        released = stableEnd(window, 0);
        contextText = window.substring(0, released);
        moveWindow();
    }

    /** The prompt's text that this stream continues ("" without context). */
    public String contextText() {
        return contextText;
    }

    /** Adds the next id; returns the text that became final (often "", never a partial character). */
    public String push(int id) {
        if (finished) {
            throw new IllegalStateException("push after finish()");
        }
        append(id);
        String w = decode(start, count);
        if (!w.regionMatches(0, window, 0, released)) {
            // a decoder whose effect reached before the window: rebuild from the whole sequence
            String done = contextText + text;
            w = decode(0, count);
            if (!w.startsWith(done)) {
                throw diverged(w, done);
            }
            start = 0;
            released = done.length();
            rebuilds++;
        }
        window = w;
        int end = stableEnd(w, released);
        String out = w.substring(released, end);
        released = end;
        text.append(out);
        if (released == w.length() && count - start >= MAX_WINDOW) {
            moveWindow();
        }
        return out;
    }

    /** Text decoded but held back (it may still change); "" when everything is released. */
    public String pending() {
        return finished ? "" : window.substring(released);
    }

    /** How many pushes had to decode the whole sequence because the window disagreed; 0 for known decoders. */
    int rebuilds() {
        return rebuilds;
    }

    /** Everything released so far. */
    public String text() {
        return text.toString();
    }

    /** Releases the rest: after it, {@link #text()} is the exact decode. No push may follow. */
    public String finish() {
        if (finished) {
            return "";
        }
        finished = true;
        String all = decode(0, count);
        String done = contextText + text;
        if (!all.startsWith(done)) {
            throw diverged(all, done);
        }
        String out = all.substring(done.length());
        text.append(out);
        return out;
    }

    /**
     * Where the final part of window text {@code w} ends: before a byte-fallback run still open at
     * the end, and before trailing U+FFFD (an incomplete UTF-8 sequence), but never before {@code from}.
     */
    private int stableEnd(String w, int from) {
        int end = w.length();
        int runStart = count;
        while (runStart > start && byteToken[runStart - 1]) {
            runStart--;
        }
        if (runStart < count) {
            String before = decode(start, runStart);
            end = w.startsWith(before) ? before.length() : from;
        }
        while (end > from && w.charAt(end - 1) == '\uFFFD') {
            end--;
        }
        return Math.max(end, from);
    }

    /**
     * Starts the window as late as possible: at a token not inside a byte run, with at least one
     * token of non-empty text before the end. Called only when all window text is released.
     */
    private void moveWindow() {
        if (released != window.length()) {
            return;
        }
        for (int c = count - 1; c > start; c--) {
            if (byteToken[c] && byteToken[c - 1]) {
                continue;
            }
            String w = decode(c, count);
            if (!w.isEmpty()) {
                start = c;
                window = w;
                released = w.length();
                return;
            }
        }
    }

    private void append(int id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, 2 * count);
            byteToken = Arrays.copyOf(byteToken, 2 * count);
        }
        ids[count] = id;
        byteToken[count++] = tokenizer.idToToken(id).map(TextStream::isByteFallbackPiece).orElse(false);
    }

    /**
     * The shape the Rust ByteFallback decoder turns into a byte, {@code <0xNN>}, read loosely (any
     * ASCII hex digit or '+'): holding back a token that is not one only delays its text.
     */
    static boolean isByteFallbackPiece(String token) {
        return token.length() == 6 && token.startsWith("<0x") && token.charAt(5) == '>'
                && isHexOrPlus(token.charAt(3)) && isHexOrPlus(token.charAt(4));
    }

    private static boolean isHexOrPlus(char c) {
        return c == '+' || (c < 0x80 && Character.digit(c, 16) >= 0);
    }

    private String decode(int from, int to) {
        return tokenizer.decode(Arrays.copyOfRange(ids, from, to), skipSpecialTokens);
    }

    private IllegalStateException diverged(String decoded, String released) {
        int at = 0;
        while (at < Math.min(decoded.length(), released.length()) && decoded.charAt(at) == released.charAt(at)) {
            at++;
        }
        return new IllegalStateException("streamed text diverged from decoding all " + count + " ids at char " + at
                + ": the tokenizer's decoder changes earlier text in a way TextStream does not know");
    }
}
