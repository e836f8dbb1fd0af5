package dev.spotlight.explain;

import java.util.List;

/**
 * The captures of one batch: every sequence padded to the same length on the same side, all from the
 * same model (same layers and heads).
 *
 * @param model       the model's name, shown in viewers
 * @param paddingSide where the pads go (Hugging Face {@code padding_side})
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
        for (int s = 0; s < sequences.size(); s++) {
            SequenceCapture sequence = sequences.get(s);
            AttentionShape other = sequence.shape();
            if (other.layers() != shape.layers() || other.heads() != shape.heads()) {
                throw new ExplainException("sequences[" + s + "]: " + other.layers() + " layers × " + other.heads()
                        + " heads, expected " + shape.layers() + " × " + shape.heads() + " like sequences[0]");
            }
            if (sequence.paddedLength() != first.paddedLength()) {
                throw new ExplainException("sequences[" + s + "].attentionMask: length " + sequence.paddedLength()
                        + ", expected the batch's padded length " + first.paddedLength());
            }
            PaddingSide side = sequence.paddingSide();
            if (side != null && side != paddingSide) {
                throw new ExplainException("sequences[" + s + "].attentionMask: padded on the " + side.jsonName()
                        + ", expected " + paddingSide.jsonName());
            }
        }
        model = model == null ? "" : model;
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
}
