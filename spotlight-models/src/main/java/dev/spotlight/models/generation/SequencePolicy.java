package dev.spotlight.models.generation;

import dev.spotlight.models.decoder.Generator;
import dev.spotlight.tokenizers.Tokenizer;
import java.util.Arrays;
import java.util.Optional;

/**
 * One sequence's generation as the loop drives it: the next token from {@link TokenChooser}, its text
 * from {@link TextStream}, the end from {@link StoppingCriteria}. Stateful: one per sequence and run.
 */
public final class SequencePolicy implements Generator.Policy {
    /** Told the newly printable text of a sequence as soon as it exists (never half a character). */
    @FunctionalInterface
    public interface TextListener {
        void text(int sequence, String delta);
    }

    private final int sequence;
    private final int[] prompt;
    private final GenerationSettings settings;
    private final TokenChooser chooser;
    private final TextStream stream;
    private final StoppingCriteria stopping;
    private final int maxNewTokens;
    private final TextListener listener;
    private Finish finish;

    /**
     * @param contextLength the model's context: no sequence outgrows it
     * @param listener      may be null
     */
    public SequencePolicy(int sequence, int[] prompt, GenerationSettings settings, Tokenizer tokenizer, int contextLength,
                          TextListener listener) {
        this.sequence = sequence;
        this.prompt = prompt.clone();
        this.settings = settings;
        this.chooser = settings.newChooser();
        this.stream = new TextStream(tokenizer, true, prompt);
        this.maxNewTokens = settings.maxNewTokens(prompt.length, contextLength);
        this.stopping = settings.newStoppingCriteria(prompt.length, contextLength, stream.contextText());
        this.listener = listener;
    }

    @Override
    public int choose(float[] logits, int[] tokens) {
        return chooser.next(logits, tokens);
    }

    @Override
    public boolean finished(int[] tokens, int generated) {
        String delta = stream.push(tokens[tokens.length - 1]);
        if (listener != null && !delta.isEmpty()) {
            listener.text(sequence, delta);
        }
        Optional<Finish> f = stopping.check(tokens, tokens.length, delta, stream.pending());
        f.ifPresent(value -> finish = value);
        return f.isPresent();
    }

    @Override
    public int maxNewTokens() {
        return maxNewTokens;
    }

    /** The outcome once the loop is done with this sequence: the rest of the text is released too. */
    public GenerationResult result(int[] generated) {
        String rest = stream.finish();
        if (listener != null && !rest.isEmpty()) {
            listener.text(sequence, rest);
        }
        Finish f = finish != null ? finish : Finish.length();
        return GenerationResult.of(prompt, Arrays.copyOf(generated, generated.length), f, stream.text(),
                settings.keepStopString());
    }
}
