package dev.spotlight.cli.bench;

import dev.spotlight.tensor.Parallel;
import dev.spotlight.tensor.kernels.Activation;
import dev.spotlight.tensor.kernels.Gemm;
import dev.spotlight.tensor.kernels.PackedMatrix;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight bench gemm}: GFLOP/s of {@code C = A·W} on packed weights, one shape or the
 * encoder shapes of MiniLM/BERT-small and BERT-base ({@code --all}), as a share of the 2-core
 * OpenBLAS figure measured on this machine kind (~200 GFLOP/s).
 */
@Command(name = "gemm",
        mixinStandardHelpOptions = true,
        description = "GEMM GFLOP/s on packed weights; prints a line ending in 'GFLOP/s <value>'.")
public final class BenchGemmCommand implements Callable<Integer> {
    private static final double OPENBLAS_TWO_CORES = 200;
    private static final int[] ALL_M = {1, 16, 128, 4096};
    private static final int[][] ALL_KN = {{384, 384}, {384, 1536}, {1536, 384}, {768, 768}, {768, 3072}, {3072, 768}};

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

    @Option(names = "--all", description = "Every encoder shape: M in {1,16,128,4096} x (K,N) of MiniLM and BERT-base.")
    boolean all;

    @Option(names = "--cold", description = "Cycle through enough weight matrices (>= 96 MB) that they stream from memory, "
            + "as a model's do, instead of staying in cache; also prints the weights' GB/s.")
    boolean cold;

    @Override
    public Integer call() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!all) {
            double gflops = measure(m, k, n);
            String weights = cold ? String.format(Locale.ROOT, " cold weights GB/s %.1f", gflops * 2 / m) : "";
            out.printf(Locale.ROOT, "gemm m=%d n=%d k=%d threads=%d%s GFLOP/s %.1f%n", m, n, k, Parallel.threads(), weights, gflops);
            out.flush();
            return 0;
        }
        out.printf("| M | K | N | GFLOP/s | %% of OpenBLAS (2 cores, ~%.0f) |%n|---|---|---|---|---|%n", OPENBLAS_TWO_CORES);
        for (int[] kn : ALL_KN) {
            for (int rows : ALL_M) {
                double g = measure(rows, kn[0], kn[1]);
                out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %.0f%% |%n", rows, kn[0], kn[1], g, 100 * g / OPENBLAS_TWO_CORES);
                out.flush();
            }
        }
        return 0;
    }

    /** Best of 5 timed repeats after a warm-up, each repeat running the product for {@code seconds}. */
    private double measure(int rows, int depth, int cols) {
        if (rows < 1 || depth < 1 || cols < 1) {
            throw new IllegalArgumentException("m, n and k must be >= 1, found m=" + rows + " n=" + cols + " k=" + depth);
        }
        Random random = new Random(1);
        float[] a = new float[rows * depth];
        float[] w = new float[depth * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextFloat() - 0.5f;
        }
        float[] c = new float[rows * cols];
        // Cold: distinct copies of W, more bytes than any cache, used round robin.
        int copies = cold ? (int) Math.max(1, Math.ceil(96.0 * (1 << 20) / (4.0 * depth * cols))) : 1;
        PackedMatrix[] packed = new PackedMatrix[copies];
        for (int i = 0; i < copies; i++) {
            packed[i] = PackedMatrix.pack(w, depth, cols);
        }
        double flops = 2.0 * rows * depth * cols;
        double best = 0;
        for (int repeat = 0; repeat < 6; repeat++) {
            long start = System.nanoTime();
            long runs = 0;
            while (System.nanoTime() - start < seconds * 1e9) {
                Gemm.matmul(a, rows, packed[(int) (runs % copies)], null, Activation.NONE, null, c);
                runs++;
            }
            double rate = flops * runs / ((System.nanoTime() - start) / 1e9) / 1e9;
            if (repeat > 0) {
                best = Math.max(best, rate);  // repeat 0 is the warm-up (JIT compilation)
            }
        }
        return best;
    }
}
