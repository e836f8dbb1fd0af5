package dev.spotlight.cli.bench;

import dev.spotlight.tensor.Parallel;
import dev.spotlight.tensor.bench.MemoryBandwidth;
import dev.spotlight.tensor.kernels.Activation;
import dev.spotlight.tensor.kernels.Gemm;
import dev.spotlight.tensor.kernels.PackedMatrix;
import dev.spotlight.tensor.kernels.Precision;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code spotlight bench gemm}: GFLOP/s of {@code C = A·W} on packed weights, one shape or the
 * encoder shapes of MiniLM/BERT-small and BERT-base ({@code --all}), as a share of the 2-core
 * OpenBLAS figure measured on this machine kind (~200 GFLOP/s). W is packed from stored bytes in
 * its {@code --precision}, as a model's safetensors are; {@code --bandwidth} sets the bytes of
 * weights a product reads per second beside the memory's measured read bandwidth.
 */
@Command(name = "gemm",
        mixinStandardHelpOptions = true,
        description = "GEMM GFLOP/s on packed weights; prints a line ending in 'GFLOP/s <value>'.")
public final class BenchGemmCommand implements Callable<Integer> {
    private static final double OPENBLAS_TWO_CORES = 200;
    private static final int[] ALL_M = {1, 16, 128, 4096};
    private static final int[][] ALL_KN = {{384, 384}, {384, 1536}, {1536, 384}, {768, 768}, {768, 3072}, {3072, 768}};
    /** Cold weights: copies of W, more bytes than any cache, used round robin. */
    private static final long COLD_BYTES = 96L << 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--m", defaultValue = "4096", description = "Rows of A (tokens).")
    int m;

    @Option(names = "--n", defaultValue = "384", description = "Columns of W.")
    int n;

    @Option(names = "--k", defaultValue = "384", description = "Columns of A, rows of W.")
    int k;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--seconds", defaultValue = "1.0", description = "Measuring time per repeat.")
    double seconds;

    @Option(names = "--repeats", defaultValue = "5",
            description = "Timed repeats after the warm-up; the best counts (default 5). On a shared machine many short "
                    + "repeats (e.g. --seconds 0.02 --repeats 60) find the moments when every thread had its core.")
    int repeats;

    @Option(names = "--precision", defaultValue = "f32", converter = PrecisionConverter.class,
            description = "Stored precision of W: f32, bf16 or f16 (widened to float in registers; default f32).")
    Precision precision;

    @Option(names = "--all", description = "Every encoder shape: M in {1,16,128,4096} x (K,N) of MiniLM and BERT-base.")
    boolean all;

    @Option(names = "--cold", description = "Cycle through enough weight matrices (>= 96 MB) that they stream from memory, "
            + "as a model's do, instead of staying in cache; also prints the weights' GB/s.")
    boolean cold;

    @Option(names = "--bandwidth", description = "Also measure the memory's read bandwidth on the same threads (a streaming "
            + "sum over 256 MiB, one pass before each repeat, best of the passes) and print the weights' GB/s as a share "
            + "of it. Implies --cold.")
    boolean bandwidth;

    @Option(names = "--cpu-time", description = "Time by the CPU time of all threads (divided by the thread count) instead "
            + "of the clock: on a machine shared with other work, the speed while the threads had their cores (a thread "
            + "waiting for the other still counts). With one thread, the most repeatable measure there.")
    boolean cpuTime;

    @Option(names = "--bandwidth-mib", defaultValue = "256",
            description = "Size of the bandwidth meter's buffer in MiB (default 256: 8 times the 32 MiB L3).")
    int bandwidthMib;

    @Override
    public Integer call() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        cold |= bandwidth;
        PrintWriter out = spec.commandLine().getOut();
        String name = precision.name().toLowerCase(Locale.ROOT);
        if (!all) {
            Result r = measure(m, k, n);
            String weights = "";
            if (cold) {
                weights = String.format(Locale.ROOT, " cold weights GB/s %.1f", r.weightBytesPerSecond / 1e9);
            }
            if (bandwidth) {
                weights += String.format(Locale.ROOT, " of %.1f measured (%.0f%%)", r.memoryBytesPerSecond / 1e9,
                        100 * r.weightBytesPerSecond / r.memoryBytesPerSecond);
            }
            out.printf(Locale.ROOT, "gemm m=%d n=%d k=%d threads=%d precision=%s%s pack ms %.1f%s GFLOP/s %.1f%n", m, n, k,
                    Parallel.threads(), name, cpuTime ? " cpu-time" : "", r.packMillis, weights, r.gflops);
            out.flush();
            return 0;
        }
        out.printf("| M | K | N | GFLOP/s (%s) | %% of OpenBLAS (2 cores, ~%.0f) |%n|---|---|---|---|---|%n", name,
                OPENBLAS_TWO_CORES);
        for (int[] kn : ALL_KN) {
            for (int rows : ALL_M) {
                double g = measure(rows, kn[0], kn[1]).gflops;
                out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %.0f%% |%n", rows, kn[0], kn[1], g, 100 * g / OPENBLAS_TWO_CORES);
                out.flush();
            }
        }
        return 0;
    }

    /** What one shape measured: rates are the best of the timed repeats. */
    private record Result(double gflops, double weightBytesPerSecond, double memoryBytesPerSecond, double packMillis) {
    }

    /**
     * Best of {@code repeats} timed repeats after a warm-up, each running the product for {@code seconds};
     * with {@code --bandwidth} a pass of the bandwidth meter runs before each repeat, so both are
     * sampled across the same stretch of time on a shared machine.
     */
    private Result measure(int rows, int depth, int cols) {
        if (repeats < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("--repeats and --seconds must be positive, found " + repeats + " and " + seconds);
        }
        if (rows < 1 || depth < 1 || cols < 1) {
            throw new IllegalArgumentException("m, n and k must be >= 1, found m=" + rows + " n=" + cols + " k=" + depth);
        }
        long largest = Math.max(Math.max((long) rows * depth, (long) rows * cols), (long) cols * depth * precision.bytes());
        if (largest > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("m*k, m*n and the stored bytes of W must each be below 2^31, found m=" + rows
                    + " n=" + cols + " k=" + depth);
        }
        Random random = new Random(1);
        float[] a = new float[rows * depth];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        MemorySegment stored = storedWeights(random, (long) cols * depth);  // [n, k], nn.Linear's layout
        float[] c = new float[rows * cols];
        long start = System.nanoTime();
        PackedMatrix first = PackedMatrix.packTransposed(stored, precision, cols, depth);
        double packMillis = (System.nanoTime() - start) / 1e6;
        int copies = cold ? (int) Math.max(1, Math.ceil((double) COLD_BYTES / first.bytes())) : 1;
        PackedMatrix[] packed = new PackedMatrix[copies];
        packed[0] = first;
        for (int i = 1; i < copies; i++) {
            packed[i] = PackedMatrix.packTransposed(stored, precision, cols, depth);
        }
        MemoryBandwidth meter = bandwidth ? new MemoryBandwidth((long) bandwidthMib << 20) : null;
        double flops = 2.0 * rows * depth * cols;
        double bestRuns = 0;  // products per second
        double bestMemory = 0;
        for (int repeat = 0; repeat <= repeats; repeat++) {
            if (meter != null) {
                long cpu = cpuNanos();
                double rate = meter.readBytesPerSecond();
                bestMemory = Math.max(bestMemory, cpuTime ? meter.bytes() / seconds(cpuNanos() - cpu) : rate);
            }
            long from = System.nanoTime();
            long cpu = cpuNanos();
            long runs = 0;
            while (System.nanoTime() - from < seconds * 1e9) {
                Gemm.matmul(a, rows, packed[(int) (runs % copies)], null, Activation.NONE, null, c);
                runs++;
            }
            double elapsed = cpuTime ? seconds(cpuNanos() - cpu) : (System.nanoTime() - from) / 1e9;
            if (repeat > 0) {
                bestRuns = Math.max(bestRuns, runs / elapsed);  // repeat 0 is the warm-up (JIT)
            }
        }
        return new Result(flops * bestRuns / 1e9, first.bytes() * bestRuns, bestMemory, packMillis);
    }

    /** CPU time of all the JVM's threads, in nanoseconds (per-thread clocks, not the 10 ms process ticks). */
    private static long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            total += Math.max(0, threads.getThreadCpuTime(id));  // -1 for a thread that has ended
        }
        return total;
    }

    /** Seconds of the threads' work from their summed CPU time. */
    private static double seconds(long cpuNanos) {
        return cpuNanos / 1e9 / Parallel.threads();
    }

    /** Random weights in [-0.5, 0.5) as little-endian stored elements of {@link #precision}. */
    private MemorySegment storedWeights(Random random, long count) {
        MemorySegment segment = MemorySegment.ofArray(new byte[Math.toIntExact(count * precision.bytes())]);
        for (long i = 0; i < count; i++) {
            float x = random.nextFloat() - 0.5f;
            switch (precision) {
                case F32 -> segment.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, x);
                case BF16 -> segment.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i,
                        (short) (Float.floatToRawIntBits(x) >>> 16));
                case F16 -> segment.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i,
                        Float.floatToFloat16(x));
            }
        }
        return segment;
    }

    /** {@code f32}, {@code bf16} or {@code f16}, any case. */
    static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            for (Precision p : Precision.values()) {
                if (p.name().equalsIgnoreCase(value)) {
                    return p;
                }
            }
            throw new TypeConversionException("expected f32, bf16 or f16, found '" + value + "'");
        }
    }
}
