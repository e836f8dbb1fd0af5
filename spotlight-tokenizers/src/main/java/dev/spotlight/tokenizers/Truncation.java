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
        return apply(encoding, pair, maxLength, "truncation", new HeapLimit.Budget());
    }

    /** {@link #apply(Encoding, Encoding, int)}, with {@code where} (the file and field, or "truncation option") naming the block in errors. */
    List<Encoding> apply(Encoding encoding, Encoding pair, int maxLength, String where, HeapLimit.Budget budget) {
        Cutter cutter = new Cutter(where, budget);
        if (maxLength == 0) {
            return both(cutter.cut(encoding, 0), pair == null ? null : cutter.cut(pair, 0));
        }
        int total = encoding.length() + (pair == null ? 0 : pair.length());
        if (total <= maxLength) {
            return both(encoding, pair);
        }
        int toRemove = total - maxLength;
        switch (strategy) {
            case LongestFirst -> {
                if (pair == null) {
                    return both(cutter.cut(encoding, total - toRemove), null);
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
                return both(cutter.cut(encoding, n1), cutter.cut(pair, n2));
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
                Encoding cut = cutter.cut(target, target.length() - toRemove);
                return first ? both(cut, pair) : both(encoding, cut);
            }
        }
    }

    /** Cuts with this block's stride and direction, refusing first when the overflowing windows would not fit in memory. */
    private final class Cutter {
        private final String where;
        private final HeapLimit.Budget budget;

        Cutter(String where, HeapLimit.Budget budget) {
            this.where = where;
            this.budget = budget;
        }

        Encoding cut(Encoding e, int keep) {
            int n = e.length();
            if (keep > stride && n > keep) {
                // Rust's windows: the first keeps `keep` tokens, each next one starts keep − stride later
                long windows = 1 + ((long) n - keep + (keep - stride) - 1) / (keep - stride);
                budget.reserve(HeapLimit.times(windows, keep), () -> where + ": max_length " + maxLength + " with stride " + stride
                        + " cuts a sequence of " + n + " tokens into " + windows + " overflowing windows of " + keep + " tokens, which",
                        "use a larger max_length or a smaller stride, or split the text");
            }
            return e.truncate(keep, stride, direction);
        }
    }

    /**
     * Before the post-processor joins a pair of which one or both sequences overflow: Rust's
     * {@code merge_with} joins each window of one with the whole other sequence, and when both
     * overflow pairs every window of one with every window of the other (and with the other's own
     * combinations), so {@code a} and {@code b} windows make {@code 1 + a + b + 3ab} encodings.
     * Refuses when their tokens, special tokens included, would not fit in memory.
     */
    void checkPairWindows(Encoding first, Encoding second, int specialTokens, String where, HeapLimit.Budget budget) {
        long a = first.overflowing().size();
        long b = second.overflowing().size();
        if (a == 0 && b == 0) {
            return;
        }
        if (a == 0 || b == 0) {
            // a long text cut beside a short one (a question-answering context): each window repeats the short one
            Encoding whole = a == 0 ? first : second;
            long windows = a + b + 1;
            budget.reserve(pairWindowTokens(first, second, specialTokens), () -> where + ": max_length " + maxLength
                    + " with stride " + stride + " cuts a pair into " + windows + " windows, each with the other sequence's "
                    + whole.length() + " tokens, which", "use a larger max_length, a smaller stride or a shorter pair");
            return;
        }
        long encodings = HeapLimit.plus(1 + a + b, HeapLimit.times(3 * a, b));
        budget.reserve(pairWindowTokens(first, second, specialTokens), () -> where + ": max_length " + maxLength + " with stride "
                + stride + " gives a pair of " + (a + 1) + " and " + (b + 1) + " windows; Hugging Face combines every window of one"
                + " with every window of the other, " + encodings + " encodings, which",
                "use a larger max_length, a smaller stride or a shorter pair");
    }

    /**
     * The tokens of {@code first.merge(second)}, every nested overflowing encoding counted, each
     * part grown by {@code specialTokens} (so an upper bound once a post-processor adds them).
     * Exact for windows without overflowing encodings of their own, as {@link Encoding#truncate} makes them.
     */
    static long pairWindowTokens(Encoding first, Encoding second, int specialTokens) {
        long a = first.overflowing().size();
        long b = second.overflowing().size();
        long firstWindows = 0;
        for (Encoding w : first.overflowing()) {
            firstWindows += w.length() + specialTokens;
        }
        long secondWindows = 0;
        for (Encoding w : second.overflowing()) {
            secondWindows += w.length() + specialTokens;
        }
        long firstHead = first.length() + specialTokens;
        long secondHead = second.length() + specialTokens;
        // Σ first windows · (1 + 3b) + Σ second windows · (1 + 3a) + head₁ · (1 + b) + head₂ · (1 + a)
        return HeapLimit.plus(HeapLimit.plus(HeapLimit.times(firstWindows, 1 + 3 * b), HeapLimit.times(secondWindows, 1 + 3 * a)),
                HeapLimit.plus(HeapLimit.times(firstHead, 1 + b), HeapLimit.times(secondHead, 1 + a)));
    }

    private static List<Encoding> both(Encoding a, Encoding b) {
        return java.util.Arrays.asList(a, b);
    }
}
