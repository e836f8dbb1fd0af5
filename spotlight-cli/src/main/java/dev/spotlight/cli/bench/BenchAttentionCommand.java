package dev.spotlight.cli.bench;

import dev.spotlight.tensor.Parallel;
import dev.spotlight.tensor.kernels.Attention;
import dev.spotlight.tensor.kernels.AttentionRequest;
import dev.spotlight.tensor.kernels.Mask;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spotlight bench attention}: fused attention tokens/s (12 heads of 32, MiniLM's shape) for
 * sequence lengths 128, 512 and 4096, with and without returned probabilities; and a batch whose
 * padding would hide half the keys, run packed, against the same real tokens with no padding at all.
 */
@Command(name = "attention",
        mixinStandardHelpOptions = true,
        description = "Fused attention tokens/s by length, with/without probabilities, and packed vs padded work.")
public final class BenchAttentionCommand implements Callable<Integer> {
    private static final int HEADS = 12;
    private static final int HEAD_DIM = 32;

    @Spec
    CommandSpec spec;

    @Option(names = "--threads", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("| sequence length | sequences | probabilities | tokens/s |");
        out.println("|---|---|---|---|");
        for (int len : new int[] {128, 512, 4096}) {
            int sequences = Math.max(1, 8192 / len);
            for (boolean probs : new boolean[] {false, true}) {
                if (probs && len == 4096) {
                    out.printf(Locale.ROOT, "| %d | %d | yes | (skipped: 12 × 4096² probabilities are 805 MB) |%n", len, sequences);
                    continue;
                }
                int[] lens = new int[sequences];
                java.util.Arrays.fill(lens, len);
                out.printf(Locale.ROOT, "| %d | %d | %s | %.0f |%n", len, sequences, probs ? "yes" : "no", tokensPerSecond(lens, probs));
                out.flush();
            }
        }
        // 32 sequences padded to 256 where half of each row is padding: packing runs 128 real tokens
        // per sequence; a padded engine would run (and mask) all 256.
        int[] half = new int[32];
        java.util.Arrays.fill(half, 128);
        int[] full = new int[32];
        java.util.Arrays.fill(full, 256);
        out.printf(Locale.ROOT, "50%% padding: packed %.0f real tokens/s; computing the padded rectangle "
                + "(256 positions per 128 real tokens) %.0f real tokens/s%n", tokensPerSecond(half, false),
                tokensPerSecond(full, false) / 2);
        out.flush();
        // A custom mask that hides half of every row's keys in whole 64-key blocks (a checkerboard):
        // the kernel skips blocks hidden from a whole tile of rows, so the masked run should be
        // close to twice as fast as the unmasked one.
        int[] lens512 = new int[16];
        java.util.Arrays.fill(lens512, 512);
        boolean[][] checkerboard = new boolean[lens512.length][512 * 512];
        for (boolean[] allowed : checkerboard) {
            for (int i = 0; i < 512; i++) {
                for (int j = 0; j < 512; j++) {
                    allowed[i * 512 + j] = (i / 64 + j / 64) % 2 == 0;
                }
            }
        }
        out.printf(Locale.ROOT, "custom mask hiding half the keys in 64-key blocks, length 512: %.0f tokens/s (no mask: %.0f)%n",
                tokensPerSecond(lens512, false, Mask.custom(checkerboard)), tokensPerSecond(lens512, false, Mask.NONE));
        out.flush();
        return 0;
    }

    private static double tokensPerSecond(int[] lens, boolean withProbabilities) {
        return tokensPerSecond(lens, withProbabilities, Mask.NONE);
    }

    private static double tokensPerSecond(int[] lens, boolean withProbabilities, Mask mask) {
        int[] cu = new int[lens.length + 1];
        for (int i = 0; i < lens.length; i++) {
            cu[i + 1] = cu[i] + lens[i];
        }
        int total = cu[lens.length];
        Random random = new Random(3);
        float[] q = new float[total * HEADS * HEAD_DIM];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) random.nextGaussian();
        }
        float[] out = new float[q.length];
        float[][] probs = null;
        if (withProbabilities) {
            probs = new float[lens.length][];
            for (int s = 0; s < lens.length; s++) {
                probs[s] = new float[HEADS * lens[s] * lens[s]];
            }
        }
        // head-major q, k, v: the layout the encoders hand the kernel
        AttentionRequest request = AttentionRequest.selfAttention(q, q, q, out, cu, HEADS, HEAD_DIM).withMask(mask)
                .withHeadMajorInputs();
        if (probs != null) {
            request = request.withProbabilities(probs, null);
        }
        double best = 0;
        for (int repeat = 0; repeat < 4; repeat++) {
            long start = System.nanoTime();
            Attention.forward(request);
            double rate = total / ((System.nanoTime() - start) / 1e9);
            if (repeat > 0) {
                best = Math.max(best, rate);
            }
        }
        return best;
    }
}
