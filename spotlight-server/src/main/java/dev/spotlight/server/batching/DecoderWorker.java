package dev.spotlight.server.batching;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.ModelException;
import dev.spotlight.models.decoder.GenerationSession;
import dev.spotlight.models.decoder.KvCache;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.models.generation.GenerationSettings;
import dev.spotlight.models.generation.SequencePolicy;
import dev.spotlight.server.ServerException;
import dev.spotlight.server.ServerMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The batching worker of one decoder, with continuous batching: completion requests run in one
 * {@link GenerationSession}, and a request that arrives while it runs joins it at the next step (its
 * prompt prefilled in the same packed pass as the running sequences' decode rows) instead of waiting
 * for it to end; a request whose sequences have all finished leaves and is answered at once. Each
 * sequence has its own settings and seed and gets bitwise the tokens it would get alone.
 *
 * <p>Admission, oldest request first: a request joins while the generation's requests, counted at
 * prompt plus most new tokens, stay within the token budget, and while the KV cache has room for its
 * whole reservation; otherwise it waits at the head of the queue (still bounded and answered 429 as
 * any queue) until running sequences leave. A request that could never fit the cache gets 413. A
 * request that gave up (timeout, or a streaming client that went away) is dropped at the next step
 * and its cache freed.
 */
public final class DecoderWorker extends BatchingWorker<DecoderWorker.Completion> {
    /** Told after every step of a generation, on the worker's thread (diagnostics; tests pace the worker with it). */
    @FunctionalInterface
    public interface StepObserver {
        /**
         * @param step      passes of this generation so far, from 1
         * @param sequences sequences still in it
         */
        void stepped(long step, int sequences);
    }

    private final CausalLM model;
    private final boolean continuous;
    private volatile int liveSequences;
    private volatile StepObserver observer;

    /**
     * @param continuous whether queued requests join a running generation; off, a generation runs only
     *                   the requests coalesced when it started, and the queue waits for its end
     */
    public DecoderWorker(CausalLM model, int batchTokens, Duration wait, int queueTokens, Duration queueWait,
                         ServerMetrics metrics, boolean continuous) {
        super(model.name(), batchTokens, wait, queueTokens, queueWait, metrics);
        this.model = model;
        this.continuous = continuous;
        metrics.generation(model.name(), m -> liveSequences);
    }

    public CausalLM decoder() {
        return model;
    }

    /** Sets the step observer (null for none). */
    public void observe(StepObserver o) {
        this.observer = o;
    }

    /**
     * Queues the completion of every prompt under one request's settings.
     *
     * @param listener told each prompt's new text as it is generated (index within this request); may be null
     */
    public CompletableFuture<List<GenerationResult>> complete(List<int[]> prompts, GenerationSettings settings, int maxNewTokens,
                                                              SequencePolicy.TextListener listener) {
        return submit(new Completion(prompts, settings, maxNewTokens, listener));
    }

    /** A request in the generation: its policies and sequences, in prompt order. */
    private record Running(Completion job, List<SequencePolicy> policies, List<GenerationSession.Sequence> sequences) {
        boolean finished() {
            return sequences.stream().allMatch(GenerationSession.Sequence::done);
        }
    }

    /** Runs one generation from the coalesced {@code pass} until no request is left in it or waiting to join. */
    @Override
    protected void run(List<Completion> pass) {
        Deque<Completion> first = new ArrayDeque<>(pass);
        List<Running> running = new ArrayList<>();
        try (GenerationSession session = new GenerationSession(model.decoder(), model.cache(), false)) {
            while (true) {
                admit(session, first, running);
                if (session.idle()) {
                    return;
                }
                long start = System.nanoTime();
                int tokens = session.step();
                measured(tokens, System.nanoTime() - start);
                metrics.pass(model(), running.size(), tokens);
                for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
                    Running r = it.next();
                    if (r.job.cancelled()) {  // its request timed out or went away: free its cache now
                        r.sequences.forEach(session::cancel);
                        it.remove();
                    } else if (r.finished()) {
                        List<GenerationResult> results = new ArrayList<>();
                        for (int i = 0; i < r.sequences.size(); i++) {
                            results.add(r.policies.get(i).result(r.sequences.get(i).generated()));
                        }
                        r.job.complete(results);
                        it.remove();
                    }
                }
                liveSequences = session.liveCount();
                StepObserver o = observer;
                if (o != null) {
                    o.stepped(session.steps(), session.liveCount());
                }
            }
        } catch (RuntimeException | Error e) {  // the generation is broken: every request in it fails, the worker goes on
            ServerException failure = failure(e);
            running.forEach(r -> r.job.fail(failure));
            first.forEach(j -> j.fail(failure));
        } finally {
            liveSequences = 0;
        }
    }

    /**
     * Takes requests into the generation, oldest first (those of the coalesced pass, then the queue's),
     * while the token budget and the KV cache have room; stops at the first that must wait.
     */
    private void admit(GenerationSession session, Deque<Completion> first, List<Running> running) {
        int tokens = running.stream().mapToInt(r -> r.job.tokens()).sum();
        boolean generating = session.steps() > 0 && !session.idle();  // requests taken in now join it
        while (true) {
            boolean queued = first.isEmpty();
            Completion job = !queued ? first.peekFirst() : continuous ? peekQueued() : null;
            if (job == null || (!running.isEmpty() && tokens + job.tokens() > batchTokens())) {
                return;
            }
            Running r = null;
            if (!job.cancelled()) {
                try {
                    r = join(session, job);
                    if (r == null && !running.isEmpty()) {
                        return;  // the cache is full: it waits for running sequences to leave
                    }
                    if (r == null) {
                        throw new ServerException(503, "Overloaded", "the KV cache of model " + model()
                                + " is held by other work and has no room for this request now; retry later", 1);
                    }
                } catch (ServerException e) {
                    job.fail(e);
                }
            }
            if (queued) {
                takeQueued(job);
            } else {
                first.pollFirst();
            }
            if (r != null) {
                if (generating) {
                    metrics.joined(model());
                }
                running.add(r);
                tokens += job.tokens();
            }
        }
    }

    /**
     * Adds all of a request's prompts to the session, or none: null when the cache has no room for
     * them now.
     *
     * @throws ServerException 413 when they need more than the whole cache
     */
    private Running join(GenerationSession session, Completion job) {
        KvCache cache = model.cache();
        int context = model.config().maxPositions();
        if (job.policies == null) {
            List<SequencePolicy> policies = new ArrayList<>();
            for (int i = 0; i < job.prompts.size(); i++) {
                policies.add(new SequencePolicy(i, job.prompts.get(i), job.settings, model.tokenizer(), context, job.listener));
            }
            job.policies = policies;
        }
        long bytes = 0;
        for (int i = 0; i < job.prompts.size(); i++) {
            bytes += cache.bytesFor(session.positions(job.prompts.get(i).length, job.policies.get(i)));
        }
        if (bytes > cache.budgetBytes()) {
            throw ServerException.tooLarge(String.format(Locale.ROOT, "the prompts and `max_tokens` of this request need"
                    + " %.1f MB of KV cache, more than model %s's budget of %.1f MB: ask for fewer tokens or prompts",
                    bytes / 1e6, model(), cache.budgetBytes() / 1e6));
        }
        List<GenerationSession.Sequence> sequences = new ArrayList<>();
        try {
            for (int i = 0; i < job.prompts.size(); i++) {
                GenerationSession.Sequence s = session.tryAdd(job.prompts.get(i), job.policies.get(i), null);
                if (s == null) {
                    sequences.forEach(session::cancel);
                    return null;
                }
                sequences.add(s);
            }
        } catch (ModelException e) {  // a prompt the routes let through but the model refuses
            sequences.forEach(session::cancel);
            throw ServerException.tooLarge(e.getMessage());
        }
        return new Running(job, job.policies, sequences);
    }

    /** One request's prompts; costed at its prompt tokens plus the most it may generate. */
    public static final class Completion extends Job<List<GenerationResult>> {
        final List<int[]> prompts;
        final GenerationSettings settings;
        final SequencePolicy.TextListener listener;
        List<SequencePolicy> policies;  // made once, on the worker's thread, when it first tries to join

        Completion(List<int[]> prompts, GenerationSettings settings, int maxNewTokens, SequencePolicy.TextListener listener) {
            super(prompts.stream().mapToInt(p -> p.length + maxNewTokens).sum(), false);
            this.prompts = List.copyOf(prompts);
            this.settings = settings;
            this.listener = listener;
        }
    }
}
