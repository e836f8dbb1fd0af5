package dev.spotlight.tokenizers;

import java.util.List;

/**
 * The tokenizer.json {@code padding} block: pad every encoding of a batch to the batch's longest
 * ({@code fixed < 0}, Hugging Face's {@code BatchLongest}) or to {@code fixed} tokens, rounded up
 * to a multiple of {@code padToMultipleOf} when that is positive.
 */
public record Padding(int fixed, Direction direction, int padToMultipleOf, int padId, int padTypeId, String padToken) {

    public static final int BATCH_LONGEST = -1;

    public Padding {
        if (direction == null || padToken == null) {
            throw new TokenizerException("padding: direction and pad_token are required");
        }
        if (padToMultipleOf < 0) {
            throw new TokenizerException("padding: pad_to_multiple_of must be >= 0, found " + padToMultipleOf);
        }
    }

    /** Batch-longest, right-side padding with id 0 and {@code [PAD]}, Hugging Face's defaults. */
    public static Padding batchLongest() {
        return new Padding(BATCH_LONGEST, Direction.Right, 0, 0, 0, "[PAD]");
    }

    public boolean isBatchLongest() {
        return fixed < 0;
    }

    public Padding withFixed(int length) {
        return new Padding(length, direction, padToMultipleOf, padId, padTypeId, padToken);
    }

    public Padding withDirection(Direction d) {
        return new Padding(fixed, d, padToMultipleOf, padId, padTypeId, padToken);
    }

    /** Reads a {@code padding} block; {@code strategy} is {@code "BatchLongest"} or {@code {"Fixed": n}}. */
    public static Padding fromJson(JsonView v) {
        int fixed = BATCH_LONGEST;
        if (v.has("strategy")) {
            JsonView s = v.get("strategy");
            if (s.node().isTextual() && s.asString().equals("BatchLongest")) {
                fixed = BATCH_LONGEST;
            } else if (s.node().isObject() && s.node().size() == 1 && s.node().has("Fixed")) {
                fixed = Truncation.nonNegative(s.get("Fixed"));
            } else {
                throw s.mismatch("\"BatchLongest\" or {\"Fixed\": n}");
            }
        }
        Direction direction = v.optional("direction").map(Direction::fromJson).orElse(Direction.Right);
        int multiple = v.optional("pad_to_multiple_of").map(Truncation::nonNegative).orElse(0);
        int padId = v.optional("pad_id").map(Truncation::nonNegative).orElse(0);
        int padTypeId = v.optional("pad_type_id").map(Truncation::nonNegative).orElse(0);
        String padToken = v.string("pad_token", "[PAD]");
        return new Padding(fixed, direction, multiple, padId, padTypeId, padToken);
    }

    /** The length every encoding of {@code batch} is padded to (Rust's {@code pad_encodings}). */
    public int targetLength(List<Encoding> batch) {
        return targetLength(batch, "padding");
    }

    private int targetLength(List<Encoding> batch, String where) {
        long length = fixed;
        if (isBatchLongest()) {
            length = 0;
            for (Encoding e : batch) {
                length = Math.max(length, e.length());
            }
        }
        if (padToMultipleOf > 0 && length % padToMultipleOf > 0) {
            length += padToMultipleOf - length % padToMultipleOf;   // long: Fixed + pad_to_multiple_of may pass 2^31
        }
        if (length > MAX_LENGTH) {
            throw new TokenizerException(where + ": " + describe() + " pads to " + length + " tokens, more than the "
                    + MAX_LENGTH + " a Java array holds");
        }
        return (int) length;
    }

    /** The longest array the JVM allocates ({@code ArrayList}'s own limit). */
    private static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    /** Pads each encoding (and its overflowing ones) of {@code batch}; returns a new list. */
    public List<Encoding> apply(List<Encoding> batch) {
        return apply(batch, "padding", new HeapLimit.Budget());
    }

    /** {@link #apply(List)}, with {@code where} (the file and field, or "padding option") naming the block in errors. */
    List<Encoding> apply(List<Encoding> batch, String where, HeapLimit.Budget budget) {
        if (batch.isEmpty()) {
            return batch;
        }
        int length = targetLength(batch, where);
        long shorter = 0;   // encodings (overflowing ones included) that get a padded copy of `length` tokens
        for (Encoding e : batch) {
            shorter += e.countShorterThan(length);
        }
        long count = shorter;
        budget.reserve(HeapLimit.times(count, length), () -> where + ": " + describe() + " on " + count
                + " encoding(s) of up to " + length + " tokens", "use a smaller Fixed length or pad_to_multiple_of, or pad per batch");
        return batch.stream().map(e -> e.pad(length, padId, padTypeId, padToken, direction)).toList();
    }

    /** The block's sizes as tokenizer.json writes them, for messages. */
    String describe() {
        return "strategy " + (isBatchLongest() ? "BatchLongest" : "{\"Fixed\": " + fixed + "}") + ", pad_to_multiple_of " + padToMultipleOf;
    }
}
