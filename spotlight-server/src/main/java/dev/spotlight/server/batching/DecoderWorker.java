package dev.spotlight.server.batching;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.decoder.Generator;
import dev.spotlight.models.generation.GenerationResult;
import dev.spotlight.models.generation.GenerationSettings;
import dev.spotlight.models.generation.SequencePolicy;
import dev.spotlight.server.ServerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The batching worker of one decoder: completion requests that arrive together run as one batched
 * generation (prefill packed, then one token per live sequence per step), each sequence with its own
 * settings and seed, so each gets the tokens it would get alone. A generation holds the model until
 * its last sequence ends; requests arriving meanwhile form the next one (no joining mid-generation).
 */
public final class DecoderWorker extends BatchingWorker<DecoderWorker.Completion> {
    private final CausalLM model;

    public DecoderWorker(CausalLM model, int batchTokens, Duration wait, int queueTokens, Duration queueWait,
                         ServerMetrics metrics) {
        super(model.name(), batchTokens, wait, queueTokens, queueWait, metrics);
        this.model = model;
    }

    public CausalLM decoder() {
        return model;
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

    @Override
    protected void run(List<Completion> pass) {
        List<int[]> prompts = new ArrayList<>();
        List<Generator.Policy> policies = new ArrayList<>();
        List<List<SequencePolicy>> perJob = new ArrayList<>();
        int context = model.config().maxPositions();
        int tokens = 0;
        for (Completion job : pass) {
            List<SequencePolicy> mine = new ArrayList<>();
            for (int i = 0; i < job.prompts.size(); i++) {
                int[] prompt = job.prompts.get(i);
                SequencePolicy policy = new SequencePolicy(i, prompt, job.settings, model.tokenizer(), context, job.listener);
                mine.add(policy);
                prompts.add(prompt);
                policies.add(policy);
                tokens += prompt.length;
            }
            perJob.add(mine);
        }
        List<Generator.Result> raw = model.generate(prompts, policies, false, null);
        int at = 0;
        for (int j = 0; j < pass.size(); j++) {
            List<GenerationResult> results = new ArrayList<>();
            for (SequencePolicy policy : perJob.get(j)) {
                Generator.Result r = raw.get(at++);
                results.add(policy.result(r.generated()));
                tokens += r.generated().length;
            }
            pass.get(j).complete(results);
        }
        metrics.pass(model(), pass.size(), tokens);
    }

    /** One request's prompts; costed at its prompt tokens plus the most it may generate. */
    public static final class Completion extends Job<List<GenerationResult>> {
        final List<int[]> prompts;
        final GenerationSettings settings;
        final SequencePolicy.TextListener listener;

        Completion(List<int[]> prompts, GenerationSettings settings, int maxNewTokens, SequencePolicy.TextListener listener) {
            super(prompts.stream().mapToInt(p -> p.length + maxNewTokens).sum(), false);
            this.prompts = List.copyOf(prompts);
            this.settings = settings;
            this.listener = listener;
        }
    }
}
