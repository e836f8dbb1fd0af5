package dev.spotlight.spark.bench;

import dev.spotlight.models.EncoderModel;
import dev.spotlight.models.Spotlight;
import dev.spotlight.models.bench.EncodeBenchmark;
import dev.spotlight.spark.SpotlightEmbedder;
import dev.spotlight.spark.SpotlightStage;
import dev.spotlight.tensor.Parallel;
import dev.spotlight.tokenizers.Encoding;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Embeds the encoder benchmark's corpus, repeated to {@code --texts N}, in process
 * ({@code EncoderModel.embed}, all cores) and through {@link SpotlightEmbedder} at local[1] and local[2],
 * in one JVM, rounds alternating. Prints rows/s and real tokens/s of each and the live heap after GC.
 * In process the engine runs on {@code --threads} threads (all cores by default); in Spark on each
 * task's CPUs (spark.task.cpus = 1), several tasks at once.
 * <pre>
 * ./build -q -pl spotlight-spark -am test-compile
 * ./build -q -pl spotlight-spark exec:exec@bench-spark -Dbench.args="--texts 10240 --rounds 2"
 * </pre>
 */
public final class SparkEmbedBenchmark {
    private SparkEmbedBenchmark() {
    }

    public static void main(String[] args) {
        int count = 100_000;
        int rounds = 2;
        int partitions = 16;
        int threads = Runtime.getRuntime().availableProcessors();
        List<String> masters = List.of("local[1]", "local[2]");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--texts" -> count = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
                case "--masters" -> masters = List.of(args[i + 1].split(","));
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --texts N --rounds R --partitions P --masters local[1],local[2] --threads T");
            }
        }
        List<String> corpus = EncodeBenchmark.corpus();
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(corpus.get(i % corpus.size()));
        }
        long baseline = liveHeap();
        EncoderModel model = Spotlight.load(SpotlightStage.DEFAULT_MODEL);
        long withModel = liveHeap();
        long tokens = 0;
        for (Encoding e : model.tokenizer().encodeBatch(texts, model.options().withPadding(null))) {
            tokens += e.length();
        }
        System.out.printf(Locale.ROOT, "%d texts, %d real tokens (mean %.1f), %d partitions, %d cores; model %s: %.0f MB of live heap%n",
                count, tokens, tokens / (double) count, partitions, Runtime.getRuntime().availableProcessors(),
                model.name(), (withModel - baseline) / 1e6);
        model.embed(texts.subList(0, Math.min(count, 2048)));   // JIT warm-up
        for (int round = 1; round <= rounds; round++) {
            Parallel.setThreads(threads);   // a Spark run leaves the engine at its tasks' CPUs
            long cpu = cpuNanos();
            long start = System.nanoTime();
            model.embed(texts);
            report("in-process embed", round, count, tokens, System.nanoTime() - start, cpuNanos() - cpu, "");
            for (String master : masters) {
                runSpark(master, texts, partitions, tokens, round);
            }
        }
    }

    private static void runSpark(String master, List<String> texts, int partitions, long tokens, int round) {
        SparkSession spark = SparkSession.builder().master(master).appName("spotlight-spark-bench")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
        try {
            List<Row> rows = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                rows.add(RowFactory.create((long) i, texts.get(i)));
            }
            StructType schema = new StructType().add("id", DataTypes.LongType).add("text", DataTypes.StringType);
            Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(partitions).cache();
            input.count();
            SpotlightEmbedder embedder = new SpotlightEmbedder();
            embedder.transform(input.limit(64)).write().format("noop").mode("overwrite").save();   // warm-up, loads the model
            long before = liveHeap();
            Sampler sampler = new Sampler();
            sampler.start();
            long cpu = cpuNanos();
            long start = System.nanoTime();
            embedder.transform(input).write().format("noop").mode("overwrite").save();
            long nanos = System.nanoTime() - start;
            cpu = cpuNanos() - cpu;
            sampler.interrupt();
            report("spark " + master, round, texts.size(), tokens, nanos, cpu, String.format(Locale.ROOT,
                    "  live heap %.0f MB before the run (Spark, cached input, both models), peak after GC %.0f MB",
                    before / 1e6, sampler.max / 1e6));
            input.unpersist();
        } finally {
            spark.stop();
        }
    }

    private static void report(String what, int round, int count, long tokens, long nanos, long cpuNanos, String extra) {
        double s = nanos / 1e9;
        System.out.printf(Locale.ROOT, "round %d  %-18s %7.1f s %8.1f rows/s %7.0f real tokens/s %7.0f tokens/CPU-s (engine threads %d)%s%n",
                round, what, s, count / s, tokens / s, tokens / (cpuNanos / 1e9), Parallel.threads(), extra);
    }

    /** CPU time of the whole process: on a machine shared with other work, what a run cost, whatever it waited. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Heap in use after the last collection of each heap pool: the live data, without garbage. */
    private static long liveHeap() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    /** The largest live heap seen after a collection while a run goes on. */
    private static final class Sampler extends Thread {
        volatile long max;

        Sampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        used += pool.getCollectionUsage().getUsed();
                    }
                }
                max = Math.max(max, used);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
