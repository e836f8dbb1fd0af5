package dev.spotlight.models.generation;

import dev.spotlight.tokenizers.Tokenizer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Time per generated token of the pieces a generation loop calls per sequence: {@link TokenChooser#next}
 * on a 128,256-entry vocabulary (Llama 3's) for each sampling setting, and {@link TextStream#push} over
 * a long sequence against re-decoding everything per token. Not a test; after
 * {@code ./build -q -pl spotlight-models -am test-compile}, run its {@code main} on spotlight-models'
 * test classpath (about 30 s), optionally with a tokenizer.json for the stream figures:
 * <pre>java -cp spotlight-models/target/classes:spotlight-models/target/test-classes:spotlight-tokenizers/target/classes:JACKSON \
 *     dev.spotlight.models.generation.GenerationStepBenchmark spotlight-tokenizers/target/tokenizers/llama3.json</pre>
 */
public final class GenerationStepBenchmark {
    private GenerationStepBenchmark() {
    }

    public static void main(String[] args) {
        int vocab = 128_256;
        SplittableRandom r = new SplittableRandom(1);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (r.nextGaussian() * 2.5);
        }
        logits[77] = 9f;
        int[] ids = r.ints(1000, 0, vocab).toArray();
        Object[][] settings = {
                {"greedy", GenerationOptions.greedy()},
                {"greedy, repetition penalty 1.1 over 1000 ids", GenerationOptions.greedy().withRepetitionPenalty(1.1)},
                {"temperature 0.8 (top-k off)", sampling(0.8).withTopK(0)},
                {"temperature 0.8, top-k 50 (transformers' default)", sampling(0.8)},
                {"temperature 0.8, top-p 0.9", sampling(0.8).withTopK(0).withTopP(0.9)},
                {"temperature 0.8, top-k 50, top-p 0.9", sampling(0.8).withTopP(0.9)},
                {"temperature 1.5, top-p 0.99 (flat)", sampling(1.5).withTopK(0).withTopP(0.99)},
                {"temperature 0.8, min-p 0.05", sampling(0.8).withTopK(0).withMinP(0.05)},
        };
        TokenChooser[] choosers = new TokenChooser[settings.length];
        for (int i = 0; i < settings.length; i++) {
            choosers[i] = GenerationSettings.resolve(GenerationConfig.DEFAULTS, ((GenerationOptions) settings[i][1]).withSeed(3L)).newChooser();
            for (int warm = 0; warm < 300; warm++) {
                choosers[i].next(logits, ids);
            }
        }
        System.out.println("| TokenChooser.next, vocabulary " + vocab + " | µs per token (median of 9 rounds) |");
        System.out.println("|---|---|");
        for (int i = 0; i < settings.length; i++) {
            TokenChooser c = choosers[i];
            System.out.printf(Locale.ROOT, "| %s | %.1f |%n", settings[i][0], medianMicros(() -> c.next(logits, ids), 50));
        }
        if (args.length > 0) {
            streamBenchmark(Tokenizer.fromFile(Path.of(args[0])));
        }
    }

    private static GenerationOptions sampling(double temperature) {
        return GenerationOptions.DEFAULTS.withTemperature(temperature);
    }

    private static void streamBenchmark(Tokenizer tokenizer) {
        String text = "Once upon a time, in a small village by the sea, there lived a girl named Zoë who loved crème brûlée 🍰. ";
        int[] ids = tokenizer.encode(text.repeat(60)).ids();
        double stream = medianMicros(() -> {
            TextStream s = new TextStream(tokenizer, true);
            for (int id : ids) {
                s.push(id);
            }
            s.finish();
        }, 3) / ids.length;
        double redecode = medianMicros(() -> {
            for (int n = 1; n <= ids.length; n++) {
                tokenizer.decode(java.util.Arrays.copyOf(ids, n), true);
            }
        }, 1) / ids.length;
        System.out.printf(Locale.ROOT, "%nTextStream over %d ids: %.1f µs per push; decoding all ids so far per token: %.1f µs per token%n",
                ids.length, stream, redecode);
    }

    private static double medianMicros(Runnable work, int repeats) {
        double[] rounds = new double[9];
        for (int round = 0; round < rounds.length; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                work.run();
            }
            rounds[round] = (System.nanoTime() - t0) / 1e3 / repeats;
        }
        java.util.Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }
}
