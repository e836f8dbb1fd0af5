package dev.spotlight.tokenizers.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A seeded mutational fuzzer for the project's parsers (Jazzer resolves from Maven Central, but its
 * coverage instrumentation does not read Java 25 class files: on a target with a 5-byte guarded
 * failure it ran 20 M uninstrumented cases and found nothing). Each case mutates one of the seeds
 * ({@link Mutations}), runs the target on a worker thread and classifies the outcome:
 * <ul>
 *   <li>{@code accepted}: the target returned;</li>
 *   <li>{@code rejected}: it threw an exception the target's contract allows (the module's own);</li>
 *   <li>{@code failure}: anything else (a raw JDK exception, an error, {@code OutOfMemoryError}), or
 *       no answer within the per-case time limit (a hang).</li>
 * </ul>
 * Runs are deterministic for a given seed and case count. Every failing input is written to
 * {@code target/fuzz-failures/<target>/<sha-256 prefix>}; copy it to the target's regression folder
 * under {@code src/test/resources/fuzz/} and it is replayed before every run from then on.
 *
 * <p>Budget: {@code -Dspotlight.fuzz.cases=N} (cases per target; CI's default is the test's own small
 * number), {@code -Dspotlight.fuzz.seed=S}.
 */
public final class MutationFuzzer {

    /** The outcome counts of one run. */
    public record Report(String target, long seed, int cases, int accepted, int rejected, List<String> failures,
                         int regressions, long millis) {
        public String summary() {
            return String.format(Locale.ROOT, "fuzz %s: seed %d, %d cases (+%d regression inputs) in %.1f s: %d accepted, %d rejected"
                    + " cleanly, %d failures", target, seed, cases, regressions, millis / 1e3, accepted, rejected, failures.size());
        }
    }

    /** What a target does with one input. */
    @FunctionalInterface
    public interface Target {
        void run(byte[] input) throws Exception;
    }

    private final String name;
    private final List<byte[]> seeds;
    private final Target target;
    private final Predicate<Throwable> allowed;
    private long perCaseMillis = 10_000;
    private Mutations mutations = Mutations.BYTES;

    /**
     * @param name    names the target in reports and folders ("tokenizer-json")
     * @param seeds   valid inputs to start from
     * @param allowed the exceptions the target's contract allows (a clean rejection)
     */
    public MutationFuzzer(String name, List<byte[]> seeds, Predicate<Throwable> allowed, Target target) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException(name + ": no seeds");
        }
        this.name = name;
        this.seeds = List.copyOf(seeds);
        this.allowed = allowed;
        this.target = target;
    }

    /** How inputs are mutated (bytes by default; JSON-aware for JSON inputs). */
    public MutationFuzzer mutations(Mutations m) {
        this.mutations = m;
        return this;
    }

    /** A case that takes longer is a hang (default 10 s: a loaded CI machine may be slow, a hang is endless). */
    public MutationFuzzer perCaseMillis(long millis) {
        this.perCaseMillis = millis;
        return this;
    }

    /**
     * An argument or state check of Spotlight's own with a message (the CLI prints that message as
     * the one-line error): thrown from a {@code dev.spotlight} frame, not by the JDK on our behalf.
     */
    public static boolean ownCheck(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return (e.getClass() == IllegalArgumentException.class || e.getClass() == IllegalStateException.class)
                && e.getMessage() != null && trace.length > 0 && trace[0].getClassName().startsWith("dev.spotlight.");
    }

    /** The case count: {@code -Dspotlight.fuzz.cases}, else {@code ciDefault}. */
    public static int cases(int ciDefault) {
        return Integer.getInteger("spotlight.fuzz.cases", ciDefault);
    }

    /** Replays the regression inputs under {@code src/test/resources/fuzz/<name>/}, then {@code cases} mutations. */
    public Report run(int cases) {
        long seed = Long.getLong("spotlight.fuzz.seed", 20261206L);
        Random random = new Random(seed ^ name.hashCode());
        List<String> failures = new ArrayList<>();
        int[] counts = new int[2];   // accepted, rejected
        long start = System.nanoTime();
        ExecutorService worker = newWorker();
        List<byte[]> regressions = regressionInputs();
        try {
            for (byte[] input : regressions) {
                worker = runOne(input, worker, counts, failures, "regression input");
            }
            for (int i = 0; i < cases; i++) {
                byte[] input = mutations.mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
                worker = runOne(input, worker, counts, failures, "case " + i);
            }
        } finally {
            worker.shutdownNow();
        }
        return new Report(name, seed, cases, counts[0], counts[1], List.copyOf(failures), regressions.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private ExecutorService runOne(byte[] input, ExecutorService worker, int[] counts, List<String> failures, String label) {
        Future<?> result = worker.submit(() -> {
            target.run(input);
            return null;
        });
        try {
            result.get(perCaseMillis, TimeUnit.MILLISECONDS);
            counts[0]++;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (allowed.test(cause)) {
                counts[1]++;
            } else {
                failures.add(label + ": " + cause + " (input saved as " + save(input) + ")");
            }
        } catch (TimeoutException e) {
            result.cancel(true);
            failures.add(label + ": no answer within " + perCaseMillis + " ms (input saved as " + save(input) + ")");
            worker.shutdownNow();
            return newWorker();   // the stuck thread is a daemon and is abandoned
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fuzzing interrupted", e);
        }
        return worker;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-target");
            t.setDaemon(true);
            return t;
        });
    }

    private List<byte[]> regressionInputs() {
        Path folder = Path.of("src/test/resources/fuzz", name);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            List<byte[]> out = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                if (!file.getFileName().toString().endsWith(".md")) {
                    out.add(Files.readAllBytes(file));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": " + e.getMessage(), e);
        }
    }

    private String save(byte[] input) {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input)).substring(0, 16);
            Path file = Path.of("target/fuzz-failures", name, hash);
            Files.createDirectories(file.getParent());
            Files.write(file, input);
            return file.toString();
        } catch (IOException | NoSuchAlgorithmException e) {
            return "(not saved: " + e + ")";
        }
    }
}
