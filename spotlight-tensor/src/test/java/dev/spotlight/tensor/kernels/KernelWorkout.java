package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/**
 * Runs every vector kernel long enough for the JIT to compile it, loops included (on-stack
 * replacement); {@link KernelCompilationTest} runs it in a child JVM and reads the compiler's log.
 */
public final class KernelWorkout {
    private KernelWorkout() {
    }

    public static void main(String[] args) {
        Parallel.setThreads(2);
        Random random = new Random(7);
        for (int[] shape : new int[][] {{16, 1536, 64}, {15, 64, 640}}) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[] a = random(random, m * k);
            PackedMatrix w = PackedMatrix.pack(random(random, k * n), k, n);
            float[] bias = random(random, n);
            float[] residual = random(random, m * n);
            float[] c = new float[m * n];
            for (int rep = 0; rep < 12; rep++) {
                Gemm.matmul(a, m, w, bias, rep % 2 == 0 ? Activation.GELU_ERF : Activation.NONE,
                        rep % 3 == 0 ? null : residual, c);
            }
        }
        // one row of F32 weights: runs of four, two and one panels
        float[] row = random(random, 1024);
        PackedMatrix square = PackedMatrix.pack(random(random, 1024 * 1024), 1024, 1024);
        float[] out = new float[1024];
        for (int rep = 0; rep < 30; rep++) {
            Gemm.matmul(row, 1, square, null, Activation.NONE, null, out);
        }
        // BF16 and F16 weights: the in-register kernels (every tile size for BF16, 1 and 2 rows for
        // F16) and the widened panel (F16 from 6 rows, BF16 from 64, the same code)
        for (Precision precision : new Precision[] {Precision.BF16, Precision.F16}) {
            int k = 512;
            int n = 320;
            MemorySegment w = MemorySegment.ofArray(new short[k * n]);
            for (int i = 0; i < k * n; i++) {
                w.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(random.nextFloat() - 0.5f));
            }
            PackedMatrix packed = PackedMatrix.pack(w, precision, k, n);
            for (int m : new int[] {1, 3, 16}) {
                float[] a = random(random, m * k);
                float[] c = new float[m * n];
                for (int rep = 0; rep < 20; rep++) {  // 100k+ loop back-edges per kernel, past C1's OSR threshold
                    Gemm.matmul(a, m, packed, null, Activation.NONE, null, c);
                }
            }
        }
        int len = 200;
        int heads = 2;
        int hd = 32;
        float[] q = random(random, len * heads * hd);
        out = new float[q.length];
        int[] cu = {0, 150, len};
        float[][] probs = {new float[heads * 150 * 150], new float[heads * 50 * 50]};
        for (int rep = 0; rep < 20; rep++) {
            AttentionRequest request = AttentionRequest.selfAttention(q, q, q, out, cu, heads, hd);
            Attention.forward(rep % 2 == 0 ? request : request.withProbabilities(probs, null));
            Attention.forward(request.withMask(Mask.causal()));
            Norms.layerNorm(q, len, heads * hd, random(random, heads * hd), random(random, heads * hd), 1e-12f, out);
            GatedActivation.siluMul(out, q, q.length);
        }
        // llama2.c's int8 path: group sums in vector lanes (group 64) and scalar (group 4)
        for (int group : new int[] {64, 4}) {
            Q8Matrix w8 = Q8Matrix.quantize(random(random, 256 * 512), 256, 512, group);
            float[] x = random(random, 3 * 512);
            float[] y = new float[3 * 256];
            for (int rep = 0; rep < 40; rep++) {
                Q8Gemm.matmul(x, 3, w8, y);
            }
        }
    }

    private static float[] random(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = random.nextFloat() - 0.5f;
        }
        return x;
    }
}
