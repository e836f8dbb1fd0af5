package dev.spotlight.models.bench;

import dev.spotlight.models.CausalLM;
import dev.spotlight.models.decoder.Generator;
import dev.spotlight.models.weights.Weights;
import dev.spotlight.tensor.kernels.Finite;
import dev.spotlight.tensor.kernels.VectorMath;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The decoder benchmark, shared by {@code spotlight bench generate} and the test-scope harness that
 * runs ONNX Runtime and Jlama beside Spotlight on the same weights: deterministic prompts of token
 * ids, prefill tokens/s (one prompt through the model and its next token chosen) and decode tokens/s
 * (greedy steps after the prefill, one sequence or several together), and what a decode step must
 * read: the bytes of every weight matrix, the LM head included.
 */
public final class GenerateBenchmark {
    private GenerateBenchmark() {
    }

    /** {@code count} prompts of {@code length} token ids drawn uniformly from the vocabulary, the same on every run. */
    public static List<int[]> prompts(int count, int length, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            out.add(random.ints(length, 0, vocab).toArray());
        }
        return out;
    }

    /** Prompt tokens per second: one prompt prefilled and its first new token chosen. */
    public static double prefillTokensPerSecond(CausalLM model, int[] prompt) {
        long start = System.nanoTime();
        model.generate(List.of(prompt), List.of(new Greedy(1)), false, null);
        return prompt.length / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Generated tokens per second over all sequences, once every prompt is prefilled: the Generator
     * runs {@code prompts} together for {@code newTokens} tokens each; the clock starts when the
     * prefill's tokens are chosen, so it covers the {@code newTokens − 1} decode steps (each one
     * forward pass over one new token per sequence, then a greedy choice per sequence).
     */
    public static double decodeTokensPerSecond(CausalLM model, List<int[]> prompts, int newTokens) {
        if (newTokens < 2) {
            throw new IllegalArgumentException("decoding needs at least 2 new tokens (the first comes from the prefill), got "
                    + newTokens);
        }
        long[] decodeStart = {0};
        int[] chosen = {0};
        List<Generator.Policy> policies = new ArrayList<>();
        for (int s = 0; s < prompts.size(); s++) {
            policies.add(new Greedy(newTokens));
        }
        model.generate(prompts, policies, false, (sequence, token, last) -> {
            if (++chosen[0] == prompts.size()) {
                decodeStart[0] = System.nanoTime();
            }
        });
        double seconds = (System.nanoTime() - decodeStart[0]) / 1e9;
        return (double) prompts.size() * (newTokens - 1) / seconds;
    }

    /**
     * Bytes a decode step reads from the weights at their stored precision: every matrix (2-D tensor)
     * once, the LM head included. An input embedding table contributes one row per token, so it
     * counts only where it is also the LM head (tied); GPT-2's position table never does.
     */
    public static long weightBytesPerToken(Weights weights) {
        long bytes = 0;
        for (String name : weights.names()) {
            long[] shape = weights.shape(name);
            if (shape.length != 2 || isLookupOnly(weights, name)) {
                continue;
            }
            bytes += shape[0] * shape[1] * weights.dtype(name).byteSize();
        }
        return bytes;
    }

    /** The same matrices' element count: their bytes at any other precision. */
    public static long matrixElements(Weights weights) {
        long elements = 0;
        for (String name : weights.names()) {
            long[] shape = weights.shape(name);
            if (shape.length == 2 && !isLookupOnly(weights, name)) {
                elements += shape[0] * shape[1];
            }
        }
        return elements;
    }

    private static boolean isLookupOnly(Weights weights, String name) {
        if (name.endsWith("wpe.weight")) {
            return true;  // GPT-2's learned positions
        }
        boolean inputTable = name.endsWith("embed_tokens.weight") || name.endsWith("wte.weight");
        return inputTable && weights.contains("lm_head.weight");
    }

    /** The median (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        return EncodeBenchmark.median(values);
    }

    /** Greedy for exactly {@code maxNewTokens}: a benchmark never stops early on an EOS. */
    public static Generator.Policy greedy(int maxNewTokens) {
        return new Greedy(maxNewTokens);
    }

    private record Greedy(int maxNewTokens) implements Generator.Policy {
        @Override
        public int choose(float[] logits, int[] tokens) {
            return argmax(logits);
        }

        @Override
        public boolean finished(int[] tokens, int generated) {
            return false;
        }
    }

    /** The index of the largest logit (the first of equals); a logit that is not finite is an error, not a token. */
    public static int argmax(float[] logits) {
        int bad = Finite.firstNonFinite(logits, 0, logits.length);
        if (bad >= 0) {
            throw new IllegalStateException("logit " + bad + " is " + logits[bad] + ": the model's activations overflowed");
        }
        return Math.max(0, VectorMath.firstMaximum(logits, 0, logits.length));
    }
}
