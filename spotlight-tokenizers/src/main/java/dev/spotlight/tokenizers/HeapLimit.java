package dev.spotlight.tokenizers;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How many tokens one tokenizer call may produce, so that a size taken from tokenizer.json or an
 * option (a fixed padding length, {@code pad_to_multiple_of}, a small {@code max_length} with a
 * large {@code stride}) is refused with a clear error before it is allocated, instead of ending
 * in an {@code OutOfMemoryError}. Hugging Face's semantics are kept wherever the result fits.
 */
final class HeapLimit {
    /**
     * Bytes an encoding keeps per token: id, type id, word id, special-token mask and attention
     * mask (4 bytes each), code-point and UTF-16 offset pairs (16), a token reference (8 at most);
     * doubled, since a window or a padded copy exists beside its source while it is made.
     */
    static final long BYTES_PER_TOKEN = 88;

    private HeapLimit() {
    }

    /** Half the heap: the rest must still hold the inputs, the unpadded encodings and the caller's data. */
    static long maxTokens() {
        return Runtime.getRuntime().maxMemory() / 2 / BYTES_PER_TOKEN;
    }

    /** One call's or one batch's reservations: texts encoded in parallel share it, so together they stay bounded. */
    static final class Budget {
        private final AtomicLong reserved = new AtomicLong();

        /**
         * Reserves {@code tokens}, or throws when they (with what the batch reserved before) exceed
         * {@link #maxTokens()}; the message reads {@code "WHAT would reach N tokens (about X GB), more
         * than half of this JVM's Y GB heap: HINT"}.
         */
        void reserve(long tokens, Supplier<String> what, String hint) {
            long before = reserved.getAndAccumulate(tokens, HeapLimit::plus);
            long total = plus(before, tokens);
            if (total > maxTokens()) {
                throw new TokenizerException(String.format(Locale.ROOT, "%s would reach %,d tokens%s (about %s), more than half of"
                        + " this JVM's %s heap: %s", what.get(), tokens, before == 0 ? "" : String.format(Locale.ROOT,
                        ", %,d with the rest of the batch", total), bytes(times(total, BYTES_PER_TOKEN)),
                        bytes(Runtime.getRuntime().maxMemory()), hint));
            }
        }
    }

    /** {@code a × b} for non-negative counts, saturating at {@code Long.MAX_VALUE} instead of wrapping. */
    static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    /** {@code a + b} for non-negative counts, saturating at {@code Long.MAX_VALUE}. */
    static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", n / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", n / (double) (1L << 20));
    }
}
