package dev.spotlight.models.bench;

import java.util.List;

/**
 * One engine in the decoder benchmark, measured the same way as Spotlight's
 * {@link GenerateBenchmark}: prefill tokens/s of one prompt (its first new token chosen), and decode
 * tokens/s over the {@code newTokens − 1} greedy steps that follow the prefill of every prompt.
 */
interface Contender extends AutoCloseable {
    String name();

    /** Whether several sequences can decode together in one pass. */
    boolean batches();

    /** The greedy next token after each prompt (equal lengths), from empty caches: the engines' agreement check. */
    int[] nextTokens(List<int[]> prompts);

    double prefillTokensPerSecond(int[] prompt);

    double decodeTokensPerSecond(List<int[]> prompts, int newTokens);

    @Override
    void close();

    /** An engine driven step by step: a prefill of equal-length prompts, then one token per sequence per step. */
    abstract class Stepwise implements Contender {
        /** Drops any cache, prefills the prompts and returns each one's greedy next token. */
        abstract int[] prefill(List<int[]> prompts);

        /** Feeds one token per sequence and returns each one's greedy next token. */
        abstract int[] step(int[] tokens);

        @Override
        public int[] nextTokens(List<int[]> prompts) {
            return prefill(prompts);
        }

        @Override
        public double prefillTokensPerSecond(int[] prompt) {
            long start = System.nanoTime();
            prefill(List.of(prompt));
            return prompt.length / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        public double decodeTokensPerSecond(List<int[]> prompts, int newTokens) {
            int[] next = prefill(prompts);
            long start = System.nanoTime();
            for (int t = 1; t < newTokens; t++) {
                next = step(next);
            }
            return (double) prompts.size() * (newTokens - 1) / ((System.nanoTime() - start) / 1e9);
        }
    }
}
