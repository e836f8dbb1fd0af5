package dev.spotlight.models.decoder;

import dev.spotlight.models.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A generation that sequences join and leave between steps (continuous batching). Each {@link #step}
 * is one packed forward pass: a decode row for every running sequence (its latest token) and, in the
 * room left under {@link #PREFILL_TOKENS}, the prompt tokens of sequences added since, whole or in
 * chunks. Then every sequence whose pass reached its latest token chooses the next one with its own
 * policy, and a sequence that finishes leaves and frees its KV-cache slot at once.
 *
 * <p>A sequence gets exactly the tokens (and logits) it gets alone, whenever it joins and whatever
 * runs beside it: the forward pass is batch-invariant (a sequence's logits are the same bits whatever
 * shares the pass and however its prompt is split into chunks) and each policy sees only its own
 * sequence. One thread drives a session; it is not thread-safe.
 */
public final class GenerationSession implements AutoCloseable {
    /** Most prompt tokens one pass takes (besides the decode rows), so a pass's activations stay bounded. */
    public static final int PREFILL_TOKENS = 2048;
    /** Prompt tokens a pass takes at least however many sequences decode, so newcomers never starve. */
    static final int MIN_PREFILL_TOKENS = PREFILL_TOKENS / 4;

    private enum State {
        /** Prompt tokens still to run. */
        PREFILL,
        /** Its latest token is chosen and runs in the next pass. */
        DECODE,
        /** Finished under capture: its last token runs once more, for that token's row of attention. */
        FLUSH,
        /** Finished or cancelled; its slot is closed. */
        DONE
    }

    private final Decoder decoder;
    private final KvCache cache;
    private final boolean capture;
    private final int context;
    private final List<Sequence> live = new ArrayList<>();  // in the order they joined
    private int added;
    private long steps;

    /**
     * @param capture every sequence also records its attention over prompt and generated tokens
     *                (a finished sequence runs its last token once more, so every token has its row)
     */
    public GenerationSession(Decoder decoder, KvCache cache, boolean capture) {
        this.decoder = decoder;
        this.cache = cache;
        this.capture = capture;
        this.context = decoder.config().maxPositions();
    }

    /** One sequence of the session: its tokens so far, whether it is done, and its outcome. */
    public final class Sequence {
        private final int id;
        private final int[] prompt;
        private final Generator.Policy policy;
        private final Generator.Listener listener;
        private final KvCache.Slot slot;
        private final int[] tokens;                                 // [prompt + max new] prompt, then generated
        private final List<float[][]> passes = new ArrayList<>();  // per pass: [layer] → packed capture
        private int generated;
        private boolean cancelled;
        private State state = State.PREFILL;

        private Sequence(int id, int[] prompt, Generator.Policy policy, Generator.Listener listener, KvCache.Slot slot) {
            this.id = id;
            this.prompt = prompt.clone();
            this.policy = policy;
            this.listener = listener;
            this.slot = slot;
            this.tokens = Arrays.copyOf(prompt, prompt.length + Math.max(1, policy.maxNewTokens()));
        }

        /** Its number in the session, in the order sequences were added from 0; listeners are told it. */
        public int id() {
            return id;
        }

        /** Finished (its policy or a limit ended it) or cancelled: it takes no more passes. */
        public boolean done() {
            return state == State.DONE;
        }

        public boolean cancelled() {
            return cancelled;
        }

        /** The tokens generated so far (a copy). */
        public int[] generated() {
            return Arrays.copyOfRange(tokens, prompt.length, prompt.length + generated);
        }

        /** The outcome so far; complete once {@link #done}. */
        public Generator.Result result() {
            int n = prompt.length + generated;
            return new Generator.Result(prompt.clone(), generated(), capture ? Captures.assemble(passes, n) : null);
        }

        /** Tokens known: the prompt and those generated. */
        private int length() {
            return prompt.length + generated;
        }

        private void choose(float[] logits) {
            int length = length();
            int token = policy.choose(logits, Arrays.copyOf(tokens, length));
            tokens[length] = token;
            generated++;
            // the policy sees every token (a text stream must), then the hard limits apply
            boolean finished = policy.finished(Arrays.copyOf(tokens, length + 1), generated);
            boolean last = finished || generated >= policy.maxNewTokens() || length + 1 >= context;
            if (listener != null) {
                listener.token(id, token, last);
            }
            if (!last) {
                state = State.DECODE;
            } else if (capture) {
                state = State.FLUSH;
            } else {
                close();
            }
        }

        private void close() {
            slot.close();
            state = State.DONE;
        }
    }

    /**
     * Checks that a prompt can start a generation: at least one token, and room after it in the
     * model's context. {@code index} names it in the message.
     */
    static void check(int[] prompt, int index, int context) {
        if (prompt.length == 0) {
            throw new ModelException("prompt " + index + " has no tokens: a decoder needs at least one (e.g. its BOS token)");
        }
        if (prompt.length >= context) {
            throw new ModelException("prompt " + index + " has " + prompt.length + " tokens, but the model's context is " + context
                    + " (max_position_embeddings), with room for none to generate: shorten it");
        }
    }

    /** Positions a sequence's slot reserves when it joins: its prompt and the most it may generate. */
    public int positions(int promptLength, Generator.Policy policy) {
        return (int) Math.min(context, (long) promptLength + policy.maxNewTokens() + (capture ? 1 : 0));
    }

    /**
     * Adds a sequence, prefilled in the next steps; its slot is reserved now, whole.
     *
     * @param listener told each of its tokens as chosen (may be null)
     * @throws ModelException an empty prompt, one that fills the context, or a KV cache without room
     */
    public Sequence add(int[] prompt, Generator.Policy policy, Generator.Listener listener) {
        check(prompt, added, context);
        return join(prompt, policy, listener, cache.open(positions(prompt.length, policy)));
    }

    /** As {@link #add}, or null (nothing reserved) while the KV cache has no room for it beside what it holds. */
    public Sequence tryAdd(int[] prompt, Generator.Policy policy, Generator.Listener listener) {
        check(prompt, added, context);
        KvCache.Slot slot = cache.tryOpen(positions(prompt.length, policy));
        return slot == null ? null : join(prompt, policy, listener, slot);
    }

    private Sequence join(int[] prompt, Generator.Policy policy, Generator.Listener listener, KvCache.Slot slot) {
        Sequence s = new Sequence(added++, prompt, policy, listener, slot);
        live.add(s);
        return s;
    }

    /** Ends a sequence now and frees its slot; what it generated so far stays readable. */
    public void cancel(Sequence s) {
        if (!s.done()) {
            s.cancelled = true;
            s.close();
        }
        live.remove(s);
    }

    /** No sequence is running or waiting to be prefilled. */
    public boolean idle() {
        return live.isEmpty();
    }

    /** Sequences running or waiting to be prefilled. */
    public int liveCount() {
        return live.size();
    }

    /** Passes run so far. */
    public long steps() {
        return steps;
    }

    /**
     * Runs one pass: the latest token of every running sequence and as much prompt as fits, then each
     * sequence the pass brought to its latest token chooses the next. Returns the tokens the pass ran
     * (0 when idle).
     */
    public int step() {
        List<Sequence> members = new ArrayList<>();
        List<int[]> news = new ArrayList<>();
        for (Sequence s : live) {
            if (s.state == State.DECODE || s.state == State.FLUSH) {
                members.add(s);
                news.add(new int[] {s.tokens[s.length() - 1]});
            }
        }
        int budget = Math.max(MIN_PREFILL_TOKENS, PREFILL_TOKENS - members.size());
        for (Sequence s : live) {
            if (s.state == State.PREFILL && budget > 0) {
                int from = s.slot.length();
                int to = Math.min(s.prompt.length, from + budget);
                members.add(s);
                news.add(Arrays.copyOfRange(s.prompt, from, to));
                budget -= to - from;
            }
        }
        if (members.isEmpty()) {
            return 0;
        }
        int[] cached = new int[members.size()];
        List<KvCache.Slot> slots = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            cached[i] = members.get(i).slot.length();
            slots.add(members.get(i).slot);
        }
        DecoderBatch batch = DecoderBatch.continuing(news, cached);
        DecoderOutput out = decoder.forward(batch, slots, Logits.LAST, capture);
        steps++;
        for (int i = 0; i < members.size(); i++) {
            Sequence s = members.get(i);
            if (capture) {
                s.passes.add(Captures.pack(out, i));
            }
            if (s.state == State.FLUSH) {
                s.close();
            } else if (s.slot.length() == s.length()) {  // the pass reached its latest token: a prompt's last chunk, or a decode row
                s.choose(out.last(i));
            }
        }
        live.removeIf(Sequence::done);
        return batch.totalTokens();
    }

    /** Frees the slots of every sequence still live. */
    @Override
    public void close() {
        for (Sequence s : live) {
            if (!s.done()) {
                s.close();
            }
        }
        live.clear();
    }
}
