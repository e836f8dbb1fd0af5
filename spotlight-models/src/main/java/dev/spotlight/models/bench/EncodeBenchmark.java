package dev.spotlight.models.bench;

import dev.spotlight.tokenizers.EncodeOptions;
import dev.spotlight.tokenizers.Encoding;
import dev.spotlight.tokenizers.Padding;
import dev.spotlight.tokenizers.Tokenizer;
import dev.spotlight.tokenizers.Truncation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The encoder benchmark, shared by {@code spotlight bench encode} and the ONNX Runtime harness in
 * the tests so both engines see the same batches: a deterministic corpus of 2,048 sentences of
 * 4–128 tokens, run in corpus order and sorted by length (batches of 32 padded to the longest),
 * at a fixed length of 128, and one sentence at a time for latency.
 */
public final class EncodeBenchmark {
    public static final int SENTENCES = 2048;
    public static final int BATCH = 32;

    private static final String[] WORDS = ("the a of and to in is was for on that with as by at from it his her "
            + "their this which be are were have has had not but or an they he she we you all one two new first "
            + "time year people world city river music history language model attention network science government "
            + "university century during after before between under several many most early later small large "
            + "known called used built played written produced located founded developed became remained "
            + "transformer encoder sequence embedding tokenizer benchmark kernel matrix vector probability").split(" ");

    private EncodeBenchmark() {
    }

    /** Sentences whose word counts follow a skewed distribution: most short, a tail up to ~120 words. */
    public static List<String> corpus() {
        Random random = new Random(20261125);
        List<String> out = new ArrayList<>(SENTENCES);
        for (int i = 0; i < SENTENCES; i++) {
            int words = (int) Math.round(Math.exp(2.9 + 0.75 * random.nextGaussian()));
            words = Math.max(2, Math.min(120, words));
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < words; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                sb.append(w == words - 1 ? "." : random.nextInt(9) == 0 ? ", " : " ");
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Batches of {@link #BATCH} encodings padded to their longest, truncated to 128 tokens. */
    public static List<List<Encoding>> batches(Tokenizer tokenizer, List<String> texts, boolean sortByLength) {
        EncodeOptions options = new EncodeOptions(true, tokenizer.defaults().padding() == null ? Padding.batchLongest()
                : tokenizer.defaults().padding().withFixed(Padding.BATCH_LONGEST), Truncation.of(128));
        List<Encoding> unpadded = tokenizer.encodeBatch(texts, options.withPadding(null));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < unpadded.size(); i++) {
            order.add(i);
        }
        if (sortByLength) {
            order.sort(Comparator.comparingInt(i -> unpadded.get(i).length()));
        }
        List<List<Encoding>> out = new ArrayList<>();
        for (int from = 0; from < order.size(); from += BATCH) {
            List<String> chunk = new ArrayList<>();
            for (int i : order.subList(from, Math.min(order.size(), from + BATCH))) {
                chunk.add(texts.get(i));
            }
            out.add(tokenizer.encodeBatch(chunk, options));
        }
        return out;
    }

    /** {@code count} copies of a text long enough to fill {@code length} tokens, truncated there. */
    public static List<Encoding> fixedLength(Tokenizer tokenizer, int length, int count) {
        String text = String.join(" ", corpus().subList(0, 64));
        EncodeOptions options = new EncodeOptions(true, null, Truncation.of(length));
        Encoding one = tokenizer.encodeBatch(List.of(text), options).getFirst();
        if (one.length() != length) {
            throw new IllegalStateException("could not build a " + length + "-token input, got " + one.length());
        }
        return java.util.Collections.nCopies(count, one);
    }

    public static long realTokens(List<Encoding> batch) {
        long n = 0;
        for (Encoding e : batch) {
            for (int m : e.attentionMask()) {
                n += m;
            }
        }
        return n;
    }

    public static long paddedTokens(List<Encoding> batch) {
        return (long) batch.size() * batch.getFirst().length();
    }

    /** Runs every batch once to warm up, then {@code repeats} timed passes; returns the median real tokens/s. */
    public static double tokensPerSecond(List<List<Encoding>> batches, int repeats, Consumer<List<Encoding>> engine) {
        long tokens = batches.stream().mapToLong(EncodeBenchmark::realTokens).sum();
        batches.forEach(engine);
        double[] rates = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            batches.forEach(engine);
            rates[r] = tokens / ((System.nanoTime() - start) / 1e9);
        }
        return median(rates);
    }

    /**
     * Two engines over the same batches, one pass each per round, alternating so that a loaded
     * machine slows both alike: the median real tokens/s of each, and the median, lowest and highest
     * of the per-round time ratio {@code second / first}.
     */
    public record Paired(double firstRate, double secondRate, double ratio, double lowest, double highest) {
    }

    public static Paired paired(List<List<Encoding>> batches, int rounds, Consumer<List<Encoding>> first,
                                Consumer<List<Encoding>> second) {
        long tokens = batches.stream().mapToLong(EncodeBenchmark::realTokens).sum();
        batches.forEach(first);
        batches.forEach(second);
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            batches.forEach(first);
            long t1 = System.nanoTime();
            batches.forEach(second);
            long t2 = System.nanoTime();
            a[r] = tokens / ((t1 - t0) / 1e9);
            b[r] = tokens / ((t2 - t1) / 1e9);
            ratios[r] = (t2 - t1) / (double) (t1 - t0);
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        return new Paired(median(a), median(b), median(ratios), sorted[0], sorted[rounds - 1]);
    }

    /** Median latency in milliseconds of one single-sequence call, after warm-up. */
    public static double latencyMillis(List<Encoding> single, int runs, Consumer<List<Encoding>> engine) {
        for (int i = 0; i < Math.max(3, runs / 10); i++) {
            engine.accept(single);
        }
        double[] ms = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            engine.accept(single);
            ms[r] = (System.nanoTime() - start) / 1e6;
        }
        return median(ms);
    }

    public static String describeCorpus(List<List<Encoding>> batches) {
        long real = batches.stream().mapToLong(EncodeBenchmark::realTokens).sum();
        long padded = batches.stream().mapToLong(EncodeBenchmark::paddedTokens).sum();
        long count = batches.stream().mapToLong(List::size).sum();
        return String.format(Locale.ROOT, "%d sentences, %d real tokens (mean %.1f), %.0f%% of padded positions are padding",
                count, real, real / (double) count, 100.0 * (padded - real) / padded);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
