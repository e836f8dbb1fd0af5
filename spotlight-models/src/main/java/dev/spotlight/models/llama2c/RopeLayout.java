package dev.spotlight.models.llama2c;

/**
 * The one difference between llama2.c's and Hugging Face's Llama weights. llama2.c rotates the
 * interleaved pairs (2i, 2i+1) of each head by frequency i; HF's {@code rotate_half} rotates
 * (i, i + headSize/2). Both are the same model once the rows of q_proj and k_proj are reordered
 * inside each head: HF row {@code j} is llama2.c row {@code 2j} for the first half and
 * {@code 2(j − half) + 1} for the second ({@code [0, 2, 4, 6, 1, 3, 5, 7]} for head size 8), the
 * {@code permute()} of transformers' {@code convert_llama_weights_to_hf.py}.
 */
final class RopeLayout {
    private RopeLayout() {
    }

    /** @param w [rows, rowLength], rows = heads · headSize; returns a reordered copy */
    static float[] toRotateHalf(float[] w, int rows, int rowLength, int heads) {
        float[] out = new float[w.length];
        permute(w, out, rows, rowLength, heads);
        return out;
    }

    /** The same for int8 rows. */
    static byte[] toRotateHalf(byte[] w, int rows, int rowLength, int heads) {
        byte[] out = new byte[w.length];
        permute(w, out, rows, rowLength, heads);
        return out;
    }

    /** The llama2.c row that HF row {@code j} of a head comes from. */
    static int sourceRow(int j, int headSize) {
        int half = headSize / 2;
        return j < half ? 2 * j : 2 * (j - half) + 1;
    }

    private static void permute(Object from, Object to, int rows, int rowLength, int heads) {
        int headSize = rows / heads;
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < headSize; j++) {
                int src = h * headSize + sourceRow(j, headSize);
                System.arraycopy(from, src * rowLength, to, (h * headSize + j) * rowLength, rowLength);
            }
        }
    }
}
