package dev.spotlight.tokenizers;

import java.util.List;

/**
 * The tokenizer.json {@code truncation} block: how many tokens an encoding (or a pair, special
 * tokens included) may keep, which sequence loses tokens, from which end, and how many tokens
 * each overflowing window repeats from the previous one ({@code stride}).
 */
public record Truncation(int maxLength, Strategy strategy, Direction direction, int stride) {

    public enum Strategy { LongestFirst, OnlyFirst, OnlySecond }

    public Truncation {
        if (maxLength < 0 || stride < 0) {
            throw new TokenizerException("truncation: max_length and stride must be >= 0, found max_length=" + maxLength + ", stride=" + stride);
        }
        if (strategy == null || direction == null) {
            throw new TokenizerException("truncation: strategy and direction are required");
        }
    }

    /** Right-side, longest-first truncation without stride, Hugging Face's defaults. */
    public static Truncation of(int maxLength) {
        return new Truncation(maxLength, Strategy.LongestFirst, Direction.Right, 0);
    }

    /** Reads a {@code truncation} block; {@code direction} and {@code stride} default as in Rust. */
    public static Truncation fromJson(JsonView v) {
        Strategy strategy = Strategy.LongestFirst;
        if (v.has("strategy")) {
            JsonView s = v.get("strategy");
            strategy = switch (s.asString()) {
                case "LongestFirst" -> Strategy.LongestFirst;
                case "OnlyFirst" -> Strategy.OnlyFirst;
                case "OnlySecond" -> Strategy.OnlySecond;
                default -> throw s.mismatch("\"LongestFirst\", \"OnlyFirst\" or \"OnlySecond\"");
            };
        }
        Direction direction = v.optional("direction").map(Direction::fromJson).orElse(Direction.Right);
        int maxLength = nonNegative(v.get("max_length"));
        int stride = v.optional("stride").map(Truncation::nonNegative).orElse(0);
        return new Truncation(maxLength, strategy, direction, stride);
    }

    static int nonNegative(JsonView v) {
        int n = v.asInt();
        if (n < 0) {
            throw v.mismatch("a non-negative integer");
        }
        return n;
    }

    /**
     * Rust's {@code truncate_encodings}: cuts {@code encoding} and {@code pair} (nullable) to
     * {@code maxLength} tokens together, the cut-off parts becoming overflowing encodings.
     * Returns {@code [encoding, pair]}.
     */
    List<Encoding> apply(Encoding encoding, Encoding pair, int maxLength) {
        if (maxLength == 0) {
            return both(encoding.truncate(0, stride, direction), pair == null ? null : pair.truncate(0, stride, direction));
        }
        int total = encoding.length() + (pair == null ? 0 : pair.length());
        if (total <= maxLength) {
            return both(encoding, pair);
        }
        int toRemove = total - maxLength;
        switch (strategy) {
            case LongestFirst -> {
                if (pair == null) {
                    return both(encoding.truncate(total - toRemove, stride, direction), null);
                }
                // Like Rust: the shorter input keeps everything if the longer one can absorb the
                // cut, otherwise both get half of max_length (the second one the odd token).
                int n1 = encoding.length();
                int n2 = pair.length();
                boolean swap = n1 > n2;
                if (swap) {
                    int t = n1;
                    n1 = n2;
                    n2 = t;
                }
                n2 = n1 > maxLength ? n1 : Math.max(n1, maxLength - n1);
                if ((long) n1 + n2 > maxLength) {
                    n1 = maxLength / 2;
                    n2 = n1 + maxLength % 2;
                }
                if (swap) {
                    int t = n1;
                    n1 = n2;
                    n2 = t;
                }
                return both(encoding.truncate(n1, stride, direction), pair.truncate(n2, stride, direction));
            }
            default -> {
                boolean first = strategy == Strategy.OnlyFirst;
                if (!first && pair == null) {
                    throw new TokenizerException("Truncation error: Second sequence not provided");
                }
                Encoding target = first ? encoding : pair;
                if (target.length() <= toRemove) {
                    throw new TokenizerException("Truncation error: Sequence to truncate too short to respect the provided max_length");
                }
                Encoding cut = target.truncate(target.length() - toRemove, stride, direction);
                return first ? both(cut, pair) : both(encoding, cut);
            }
        }
    }

    private static List<Encoding> both(Encoding a, Encoding b) {
        return java.util.Arrays.asList(a, b);
    }
}
