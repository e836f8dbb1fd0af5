package dev.spotlight.explain;

import java.util.List;

/**
 * The captures of one batch, all from the same model (same layers, heads and attention pattern), every
 * attention mask of the same padded length.
 *
 * <p>An encoder batch (or a decoder batch of prompts alone) is padded on one side. A generated batch
 * follows Hugging Face {@code generate}: the prompts are left-padded to one length, each step appends a
 * column, and a row that finished early gets pads after its last token; so every row's prompt ends at the
 * same column and the generated tokens start there.
 *
 * @param model       the model's name, shown in viewers
 * @param paddingSide where the pads go (Hugging Face {@code padding_side}); in a generated batch, where the
 *                    prompts' pads go, which must be {@link PaddingSide#LEFT}
 * @param sequences   one capture per input, in input order
 */
public record BatchCapture(String model, PaddingSide paddingSide, List<SequenceCapture> sequences) {

    public BatchCapture {
        sequences = List.copyOf(sequences);
        if (sequences.isEmpty()) {
            throw new ExplainException("sequences: expected at least one sequence");
        }
        if (paddingSide == null) {
            throw new ExplainException("paddingSide: expected LEFT or RIGHT, got null");
        }
        SequenceCapture first = sequences.getFirst();
        AttentionShape shape = first.shape();
        boolean generated = anyGenerated(sequences);
        for (int s = 0; s < sequences.size(); s++) {
            SequenceCapture sequence = sequences.get(s);
            AttentionShape other = sequence.shape();
            if (other.layers() != shape.layers() || other.heads() != shape.heads()) {
                throw new ExplainException("sequences[" + s + "]: " + other.layers() + " layers × " + other.heads()
                        + " heads, expected " + shape.layers() + " × " + shape.heads() + " like sequences[0]");
            }
            if (!sequence.pattern().equals(first.pattern())) {
                throw new ExplainException("sequences[" + s + "].pattern: " + sequence.pattern() + ", expected "
                        + first.pattern() + " like sequences[0] (one model)");
            }
            if (sequence.paddedLength() != first.paddedLength()) {
                throw new ExplainException("sequences[" + s + "].attentionMask: length " + sequence.paddedLength()
                        + ", expected the batch's padded length " + first.paddedLength());
            }
            if (generated) {
                checkGeneratedRow(s, sequence, first);
            } else {
                PaddingSide side = sequence.paddingSide();
                if (side != null && side != paddingSide) {
                    throw new ExplainException("sequences[" + s + "].attentionMask: padded on the " + side.jsonName()
                            + ", expected " + paddingSide.jsonName());
                }
            }
        }
        if (generated && paddingSide != PaddingSide.LEFT) {
            throw new ExplainException("paddingSide: " + paddingSide.jsonName() + ", but the batch has generated"
                    + " tokens: a generated batch pads its prompts on the left (the decoder convention)");
        }
        model = model == null ? "" : model;
    }

    /** Pads may come before the prompt and after the last generated token; the prompts end in one column. */
    private static void checkGeneratedRow(int s, SequenceCapture sequence, SequenceCapture first) {
        if (!sequence.isOneRun()) {
            throw new ExplainException("sequences[" + s + "].attentionMask: expected the real tokens as one run"
                    + " (pads only before the prompt or after the last generated token)");
        }
        int promptEnd = sequence.leadingPads() + sequence.promptTokens();
        int expected = first.leadingPads() + first.promptTokens();
        if (promptEnd != expected) {
            throw new ExplainException("sequences[" + s + "]: prompt ends at padded position " + promptEnd
                    + ", expected " + expected + " like sequences[0] (prompts are left-padded to one length and"
                    + " generated tokens follow)");
        }
    }

    public int layers() {
        return sequences.getFirst().attention().length;
    }

    public int heads() {
        return sequences.getFirst().attention()[0].length;
    }

    public int paddedLength() {
        return sequences.getFirst().paddedLength();
    }

    /** The attention pattern every sequence shares. */
    public AttentionPattern pattern() {
        return sequences.getFirst().pattern();
    }

    /** Whether any sequence has generated tokens. */
    public boolean hasGeneratedTokens() {
        return anyGenerated(sequences);
    }

    private static boolean anyGenerated(List<SequenceCapture> sequences) {
        return sequences.stream().anyMatch(s -> s.generatedTokens() > 0);
    }
}
