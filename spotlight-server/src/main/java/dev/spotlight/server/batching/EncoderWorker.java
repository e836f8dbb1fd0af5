package dev.spotlight.server.batching;

import dev.spotlight.models.Capture;
import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.EncoderOutput;
import dev.spotlight.models.PackedBatch;
import dev.spotlight.models.pooling.SentencePooling;
import dev.spotlight.server.ServerMetrics;
import dev.spotlight.tokenizers.Encoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The batching worker of one encoder: sentence embeddings of requests coalesced into packed passes of
 * at most the token budget, and anything else (an attention capture) run alone in queue order.
 */
public final class EncoderWorker extends BatchingWorker<BatchingWorker.Job<?>> {
    private final EncoderModel model;

    public EncoderWorker(EncoderModel model, int batchTokens, Duration wait, int queueTokens, Duration queueWait,
                         ServerMetrics metrics) {
        super(model.name(), batchTokens, wait, queueTokens, queueWait, metrics);
        this.model = model;
    }

    public EncoderModel encoder() {
        return model;
    }

    /** Queues the sentence embeddings of already tokenized inputs, one vector per encoding. */
    public java.util.concurrent.CompletableFuture<float[][]> embed(List<Encoding> encodings, SentencePooling pooling) {
        return submit(new Embed(encodings, pooling));
    }

    /** Queues {@code work} to run alone on the worker thread, costed at {@code tokens}. */
    public <T> java.util.concurrent.CompletableFuture<T> alone(int tokens, Function<EncoderModel, T> work) {
        return submit(new Alone<>(tokens, work));
    }

    @Override
    protected void run(List<Job<?>> pass) {
        if (pass.getFirst() instanceof Alone<?> alone) {
            alone.runOn(model);
            return;
        }
        List<Embed> jobs = new ArrayList<>();
        List<Encoding> encodings = new ArrayList<>();
        for (Job<?> job : pass) {
            Embed e = (Embed) job;
            jobs.add(e);
            encodings.addAll(e.encodings);
        }
        float[][] vectors = new float[encodings.size()][];
        // One request may hold more tokens than the budget (many long inputs): split it by sequence.
        int from = 0;
        while (from < encodings.size()) {
            int to = from;
            int tokens = 0;
            while (to < encodings.size() && (to == from || tokens + realTokens(encodings.get(to)) <= batchTokens())) {
                tokens += realTokens(encodings.get(to));
                to++;
            }
            PackedBatch batch = PackedBatch.ofSeparate(encodings.subList(from, to));
            EncoderOutput output = model.forward(batch, Capture.NONE);
            int sequence = from;
            for (Embed job : jobs) {
                for (int i = 0; i < job.encodings.size(); i++, sequence++) {
                    if (sequence >= from && sequence < to) {
                        int s = sequence - from;
                        vectors[sequence] = job.pooling.pool(output.lastHidden(), batch.cuSeqLens()[s], batch.length(s),
                                output.hidden());
                    }
                }
            }
            metrics.pass(model(), countJobs(jobs, from, to), tokens);
            from = to;
        }
        int at = 0;
        for (Embed job : jobs) {
            float[][] mine = new float[job.encodings.size()][];
            System.arraycopy(vectors, at, mine, 0, mine.length);
            at += mine.length;
            job.complete(mine);
        }
    }

    /** Requests with at least one sequence in [from, to). */
    private static int countJobs(List<Embed> jobs, int from, int to) {
        int count = 0;
        int start = 0;
        for (Embed job : jobs) {
            int end = start + job.encodings.size();
            if (end > from && start < to) {
                count++;
            }
            start = end;
        }
        return count;
    }

    static int realTokens(Encoding e) {
        int n = 0;
        for (int m : e.attentionMask()) {
            n += m;
        }
        return n;
    }

    private static final class Embed extends Job<float[][]> {
        final List<Encoding> encodings;
        final SentencePooling pooling;

        Embed(List<Encoding> encodings, SentencePooling pooling) {
            super(encodings.stream().mapToInt(EncoderWorker::realTokens).sum(), false);
            this.encodings = List.copyOf(encodings);
            this.pooling = pooling;
        }
    }

    private static final class Alone<T> extends Job<T> {
        final Function<EncoderModel, T> work;

        Alone(int tokens, Function<EncoderModel, T> work) {
            super(tokens, true);
            this.work = work;
        }

        void runOn(EncoderModel model) {
            complete(work.apply(model));
        }
    }
}
