/**
 * Choosing the next token and turning tokens into text, with Hugging Face transformers' semantics,
 * independent of any model's forward pass. A generation loop uses, per sequence:
 * <pre>{@code
 * GenerationSettings settings = GenerationSettings.resolve(GenerationConfig.read(folder), options);
 * TokenChooser chooser = settings.newChooser();
 * TextStream stream = new TextStream(tokenizer, true, promptIds);
 * StoppingCriteria stopping = settings.newStoppingCriteria(promptIds.length, contextLength, stream.contextText());
 * // each step, after the forward pass gave the logits of the last position:
 * int next = chooser.next(logits, ids, length);            // ids[0, length): prompt + generated so far
 * ids[length++] = next;
 * String newText = stream.push(next);                       // print it
 * Optional<Finish> finish = stopping.check(ids, length, newText, stream.pending());
 * // when finished: stream.finish(), then GenerationResult.of(prompt, generated, finish, stream.text(), settings.keepStopString())
 * }</pre>
 * Which transformers class each piece follows, and where it differs, is said on each class:
 * {@link dev.spotlight.models.generation.GenerationConfig} ({@code GenerationConfig} and how
 * {@code from_pretrained} reads it), {@link dev.spotlight.models.generation.GenerationOptions} and
 * {@link dev.spotlight.models.generation.GenerationSettings} ({@code generate}'s arguments and length
 * rules), {@link dev.spotlight.models.generation.TokenChooser} (the logits processors and warpers,
 * greedy and sampling), {@link dev.spotlight.models.generation.StoppingCriteria} (EOS, length and
 * stop strings) and {@link dev.spotlight.models.generation.TextStream} ({@code TextStreamer}).
 */
package dev.spotlight.models.generation;
