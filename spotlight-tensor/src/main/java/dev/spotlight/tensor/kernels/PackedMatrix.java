package dev.spotlight.tensor.kernels;

/**
 * A weight matrix W [k, n] laid out once, at load, for {@link Gemm}: column panels of
 * {@link Gemm#PANEL} floats, each panel holding its k rows back to back, so the kernel's inner loop
 * reads B strictly sequentially. The last panel is zero-padded to full width.
 */
public final class PackedMatrix {
    private final int k;
    private final int n;
    final float[] data; // [panels][k][PANEL]

    private PackedMatrix(int k, int n, float[] data) {
        this.k = k;
        this.n = n;
        this.data = data;
    }

    /** Packs {@code w}, row-major [k, n] (used as {@code x · W}). */
    public static PackedMatrix pack(float[] w, int k, int n) {
        check(w, k, n);
        int panels = panels(n);
        float[] data = new float[panels * k * Gemm.PANEL];
        for (int p = 0; p < panels; p++) {
            int base = p * k * Gemm.PANEL;
            int cols = Math.min(Gemm.PANEL, n - p * Gemm.PANEL);
            for (int kk = 0; kk < k; kk++) {
                System.arraycopy(w, kk * n + p * Gemm.PANEL, data, base + kk * Gemm.PANEL, cols);
            }
        }
        return new PackedMatrix(k, n, data);
    }

    /** Packs {@code w} given as [n, k], PyTorch's {@code nn.Linear.weight} layout (used as {@code x · Wᵀ}). */
    public static PackedMatrix packTransposed(float[] w, int n, int k) {
        check(w, k, n);
        int panels = panels(n);
        float[] data = new float[panels * k * Gemm.PANEL];
        for (int col = 0; col < n; col++) {
            int p = col / Gemm.PANEL;
            int j = col % Gemm.PANEL;
            int base = p * k * Gemm.PANEL + j;
            for (int kk = 0; kk < k; kk++) {
                data[base + kk * Gemm.PANEL] = w[col * k + kk];
            }
        }
        return new PackedMatrix(k, n, data);
    }

    public int k() {
        return k;
    }

    public int n() {
        return n;
    }

    int panels() {
        return panels(n);
    }

    private static int panels(int n) {
        return (n + Gemm.PANEL - 1) / Gemm.PANEL;
    }

    private static void check(float[] w, int k, int n) {
        if (k <= 0 || n <= 0) {
            throw new IllegalArgumentException("matrix dimensions must be positive, found k=" + k + ", n=" + n);
        }
        if (w.length != (long) k * n) {
            throw new IllegalArgumentException("matrix of " + w.length + " floats, expected k*n = " + k + "*" + n);
        }
    }
}
