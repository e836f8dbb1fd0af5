package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused masked attention over a packed batch, one task per (sequence, head), query rows in tiles of
 * {@link #TILE}; a sequence with a single query row (a decode step) has one task per key/value head
 * instead, whose query heads share the tiles. A tile's scores for the keys its rows may see are computed together (each key
 * vector loaded once for four rows), then each row's exact softmax, then the tile's weighted sum of
 * values (each value row loaded once for four rows). Scores are held for one tile only: memory is
 * O(lenK) per thread, never lenQ × lenK, unless the caller asks for the probabilities. The exact
 * two-pass softmax over a tile's score rows replaces the online rescaling of FlashAttention, which
 * only pays where the scores of a tile cannot be held (a GPU's shared memory).
 *
 * <p>Masks shrink each row's key range (causal, window, and a custom mask's first and last visible
 * key), and key blocks of {@code LANES} keys that a custom mask hides from all rows of a tile are
 * skipped in both products, not computed.
 *
 * <p>Every score is one FMA chain over the head dimension; every output element is two FMA chains
 * over the keys (even and odd key index) added at the end; the same chains whatever kernel a row
 * runs in. A task reads only its own sequence's rows, so a sequence's output is bitwise the same
 * alone, in any batch and on any number of threads. A query row whose keys are all masked yields
 * zeros; masked keys get probability exactly 0.
 */
public final class Attention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();
    /** Query rows per tile. */
    static final int TILE = 4;
    /** Below this many multiply-adds a request runs on the calling thread alone (the same bits either way). */
    static final long INLINE_WORK = 1 << 17;

    /** Per-thread buffers, grown to the longest sequence seen, so a task allocates no buffers. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Attention() {
    }

    private static final class Scratch {
        float[] keysT = new float[0];   // [headDim, width]
        float[] weights = new float[0]; // [TILE, width]: scores, then probabilities
        float[] acc = new float[0];     // [TILE, 2, hdPadded]: value sums of rows whose ranges differ
        boolean[] hidden = new boolean[0];  // per block of LANES keys: hidden from every row of the tile
        final int[] lo = new int[TILE];
        final int[] hi = new int[TILE];
        final float[] inv = new float[TILE];  // 1 / Σ e^(x − max) of each row
        final int[] rowOf = new int[TILE];  // the query row in each tile place
        final int[] headOf = new int[TILE]; // and its query head

        Scratch ensure(int hd, int width) {
            if (keysT.length < hd * width) {
                keysT = new float[hd * width];
            }
            if (weights.length < TILE * width) {
                weights = new float[TILE * width];
                hidden = new boolean[width / LANES];
            }
            int accFloats = TILE * 2 * roundUp(hd);
            if (acc.length < accFloats) {
                acc = new float[accFloats];
            }
            return this;
        }
    }

    public static void forward(AttentionRequest r) {
        KernelWork.attention(r);
        int batch = r.cuSeqLensQ().length - 1;
        int heads = r.qHeads();
        long work = 0;  // multiply-adds of the scores and the weighted sum
        for (int s = 0; s < batch; s++) {
            work += 2L * heads * r.headDim() * (r.cuSeqLensQ()[s + 1] - r.cuSeqLensQ()[s]) * (r.cuSeqLensK()[s + 1] - r.cuSeqLensK()[s]);
        }
        // Tasks: a sequence's query heads one by one, or, for a sequence of one query row, the query
        // heads of each key/value head together: their rows fill a tile (the keys and values are
        // read once for all of them, and four rows' chains run side by side). A sequence's tasks
        // depend only on its own shape, so its bits do not depend on the batch.
        boolean grouped = heads > r.kvHeads();
        int[] firstTask = new int[batch + 1];
        for (int s = 0; s < batch; s++) {
            firstTask[s + 1] = firstTask[s] + (grouped && lenQ(r, s) == 1 ? r.kvHeads() : heads);
        }
        int tasks = firstTask[batch];
        if (work < INLINE_WORK) {
            // a decode step's few rows: handing them to another thread costs more than computing them,
            // and on a shared machine a descheduled helper stalls the step for a whole time slice
            Scratch scratch = SCRATCH.get();
            for (int task = 0; task < tasks; task++) {
                head(r, firstTask, task, scratch).run();
            }
            return;
        }
        // Split by cost (lenQ · lenK per query head), not by count: a batch mixes 4- and 128-token sentences.
        Parallel.forRange(tasks, task -> {
            int s = sequenceOf(firstTask, task);
            return 1 + (long) headsPerTask(r, firstTask, s) * lenQ(r, s) * (r.cuSeqLensK()[s + 1] - r.cuSeqLensK()[s]);
        }, task -> head(r, firstTask, task, SCRATCH.get()).run());
    }

    private static int lenQ(AttentionRequest r, int s) {
        return r.cuSeqLensQ()[s + 1] - r.cuSeqLensQ()[s];
    }

    /** The sequence of a task: sequence s has tasks [firstTask[s], firstTask[s + 1]), at least one. */
    private static int sequenceOf(int[] firstTask, int task) {
        int s = Arrays.binarySearch(firstTask, task);
        return s >= 0 ? s : -s - 2;
    }

    /** Query heads per task of sequence s: 1, or a key/value head's group when its tasks are per key/value head. */
    private static int headsPerTask(AttentionRequest r, int[] firstTask, int s) {
        return r.qHeads() / (firstTask[s + 1] - firstTask[s]);
    }

    private static Head head(AttentionRequest r, int[] firstTask, int task, Scratch scratch) {
        int s = sequenceOf(firstTask, task);
        int count = headsPerTask(r, firstTask, s);
        return new Head(r, s, (task - firstTask[s]) * count, count, scratch);
    }

    /** One task: a sequence and one query head, or the query heads of one key/value head for a single row. */
    private static final class Head {
        final AttentionRequest r;
        final int s;
        final int h;          // the first query head of the task
        final int count;      // query heads h, h + 1, ... of the task: more than 1 only for a single query row
        final int firstQ;
        final int lenQ;
        final int firstK;
        final int lenK;
        final int hd;
        final int outStride;  // between the rows of out, token-major whatever the layout of q, k, v
        final int qAt;        // q of this sequence's first row, this head
        final int qRowStride; // between consecutive query rows of this head
        final int qHeadStride; // between the same row of consecutive heads
        final float[] k;      // keys of this sequence in the batch's packed k; null over a cache
        final float[] v;      // values of this sequence: the batch's packed v, or its cache block
        final int kvAt;       // k and v of this sequence's first key, this head's kv head
        final int kvRowStride;
        final float[] keysT;  // [hd, keysTStride]: the cache's transposed keys, or scratch to transpose k into
        final int keysTAt;    // where this head's first dimension row starts in keysT
        final int keysTStride;
        final int width;
        final float[] probs;
        final boolean[] allowed;
        final Scratch scratch;

        Head(AttentionRequest r, int s, int h, int count, Scratch scratch) {
            this.r = r;
            this.s = s;
            this.h = h;
            this.count = count;
            firstQ = r.cuSeqLensQ()[s];
            lenQ = r.cuSeqLensQ()[s + 1] - firstQ;
            firstK = r.cuSeqLensK()[s];
            lenK = r.cuSeqLensK()[s + 1] - firstK;
            hd = r.headDim();
            outStride = r.qHeads() * hd;
            int kvHead = h / (r.qHeads() / r.kvHeads());
            if (r.headMajor()) {  // [heads, tokens, headDim]: a head's rows are contiguous
                int totalQ = r.cuSeqLensQ()[r.cuSeqLensQ().length - 1];
                qAt = (h * totalQ + firstQ) * hd;
                qRowStride = hd;
                qHeadStride = totalQ * hd;
            } else {              // [tokens, heads · headDim]
                qAt = firstQ * outStride + h * hd;
                qRowStride = outStride;
                qHeadStride = hd;
            }
            if (r.cache() != null) {  // keys [kvHeads, headDim, capacity], values [kvHeads, capacity, headDim]
                k = null;
                v = r.cache().values()[s];
                kvAt = kvHead * r.cache().capacity()[s] * hd;
                kvRowStride = hd;
            } else if (r.headMajor()) {
                int totalK = r.cuSeqLensK()[r.cuSeqLensK().length - 1];
                k = r.k();
                v = r.v();
                kvAt = (kvHead * totalK + firstK) * hd;
                kvRowStride = hd;
            } else {
                k = r.k();
                v = r.v();
                kvAt = firstK * r.kvHeads() * hd + kvHead * hd;
                kvRowStride = r.kvHeads() * hd;
            }
            width = roundUp(Math.max(lenK, 1));
            probs = r.probabilities() != null ? r.probabilities()[s] : null;
            if (probs != null && probs.length != r.qHeads() * lenQ * lenK) {
                throw new IllegalArgumentException("probability buffer of sequence " + s + " has " + probs.length
                        + " floats, expected heads*lenQ*lenK = " + r.qHeads() + "*" + lenQ + "*" + lenK);
            }
            allowed = r.mask() instanceof Mask.Custom custom ? custom.allowed()[s] : null;
            if (allowed != null && allowed.length != lenQ * lenK) {
                throw new IllegalArgumentException("custom mask of sequence " + s + " has " + allowed.length
                        + " entries, expected lenQ*lenK = " + lenQ + "*" + lenK);
            }
            this.scratch = scratch.ensure(hd, width);
            if (r.cache() != null) {
                keysT = r.cache().keys()[s];
                keysTAt = kvAt;  // kvHead · capacity · hd, as for the values
                keysTStride = r.cache().capacity()[s];
            } else {
                keysT = this.scratch.keysT;
                keysTAt = 0;
                keysTStride = width;
            }
        }

        void run() {
            if (lenQ == 0) {
                return;
            }
            // keysT [hd, width]: keys transposed so that LANES scores come from one FMA per head
            // dimension (a cache stores them so already). Rows are padded to whole vectors, so the
            // score and exp loops need no masks; lanes past lenK hold leftovers that are computed and
            // never read.
            if (k != null) {
                for (int j = 0; j < lenK; j++) {
                    int at = kvAt + j * kvRowStride;
                    for (int d = 0; d < hd; d++) {
                        keysT[d * width + j] = k[at + d];
                    }
                }
            }
            if (count == 1) {
                for (int i = 0; i < lenQ; i += TILE) {  // the rows of one head
                    int rows = Math.min(TILE, lenQ - i);
                    for (int t = 0; t < TILE; t++) {
                        scratch.rowOf[t] = i + Math.min(t, rows - 1);
                        scratch.headOf[t] = h;
                    }
                    tile(rows);
                }
                return;
            }
            for (int g = 0; g < count; g += TILE) {  // the one row of several heads
                int rows = Math.min(TILE, count - g);
                for (int t = 0; t < TILE; t++) {
                    scratch.rowOf[t] = 0;
                    scratch.headOf[t] = h + g + Math.min(t, rows - 1);
                }
                tile(rows);
            }
        }

        /** Where the query row of tile place t starts in q. */
        private int qOf(int t) {
            return qAt + (scratch.headOf[t] - h) * qHeadStride + scratch.rowOf[t] * qRowStride;
        }

        /**
         * The tile's places [0, rows): query row rowOf[t] of head headOf[t] (rows of one head, or
         * one row of several heads). A tile of fewer than four rows repeats its last row in the
         * missing places of the 4-row kernels, whose results there are discarded: the kernels' four
         * independent rows beat single-row kernels that wait on FMA latency, and a row's chains are
         * the same. Only the real rows get ranges, softmax and output.
         */
        private void tile(int rows) {
            int[] lo = scratch.lo;
            int[] hi = scratch.hi;
            int loMin = lenK;
            int hiMax = 0;
            for (int t = 0; t < rows; t++) {
                range(scratch.rowOf[t], t);
                if (lo[t] < hi[t]) {
                    loMin = Math.min(loMin, lo[t]);
                    hiMax = Math.max(hiMax, hi[t]);
                }
            }
            boolean[] hidden = allowed == null ? null : hiddenBlocks(rows, loMin, hiMax);
            if (loMin < hiMax) {
                if (rows == 1) {
                    scores1(floorToLanes(loMin), hiMax, hidden);
                } else {
                    scores4(floorToLanes(loMin), hiMax, hidden);
                }
            }
            int loMax = 0;
            int hiMin = lenK;
            boolean allRows = true;
            boolean sameRanges = rows == TILE && allowed == null && r.bias() == null;
            for (int t = 1; t < rows && sameRanges; t++) {
                sameRanges = lo[t] == lo[0] && hi[t] == hi[0];
            }
            if (sameRanges && lo[0] < hi[0]) {
                softmax4();
            } else {
                for (int t = 0; t < rows; t++) {
                    softmax(t, hidden);
                }
            }
            for (int t = 0; t < rows; t++) {
                allRows &= lo[t] < hi[t];
                loMax = Math.max(loMax, lo[t]);
                hiMin = Math.min(hiMin, hi[t]);
            }
            if (allRows && loMax < hiMin && rows > 1) {
                values4(rows, loMax, hiMin, hidden);
            } else {
                for (int t = 0; t < rows; t++) {
                    values1(t);
                }
            }
        }

        /** The keys row i may see, [lo, hi), into lo[t], hi[t]; empty when it sees none. */
        private void range(int i, int t) {
            int lo = 0;
            int hi = lenK;
            if (r.mask() instanceof Mask.Causal causal) {
                hi = Math.max(0, Math.min(lenK, i + lenK - lenQ + 1));  // the diagonal aligned to the end
                lo = causal.window() == Integer.MAX_VALUE ? 0 : Math.max(0, hi - causal.window());
            } else if (allowed != null) {
                int row = i * lenK;
                while (lo < hi && !allowed[row + lo]) {
                    lo++;
                }
                while (hi > lo && !allowed[row + hi - 1]) {
                    hi--;
                }
            }
            scratch.lo[t] = lo;
            scratch.hi[t] = hi;
        }

        /** Marks the blocks of LANES keys in [loMin, hiMax) that no row of the tile may see. */
        private boolean[] hiddenBlocks(int rows, int loMin, int hiMax) {
            boolean[] hidden = scratch.hidden;
            for (int b = loMin / LANES; b * LANES < hiMax; b++) {
                boolean seen = false;
                for (int t = 0; t < rows && !seen; t++) {
                    int row = scratch.rowOf[t] * lenK;
                    if (b * LANES + LANES <= lenK) {
                        // a custom row's keys outside [lo, hi) are hidden too, so the whole block can be read
                        seen = VectorMath.anyTrue(allowed, row + b * LANES);
                    } else {
                        for (int j = Math.max(b * LANES, scratch.lo[t]), end = Math.min(b * LANES + LANES, scratch.hi[t]);
                             j < end && !seen; j++) {
                            seen = allowed[row + j];
                        }
                    }
                }
                hidden[b] = !seen;
            }
            return hidden;
        }

        /**
         * weights[0][j] = scale · q_i0 · k_j for a tile of one row (a decode step's), j in [from, to):
         * four vectors of keys per step instead of four copies of the row, each lane's chain that of
         * {@link #scores4}.
         */
        private void scores1(int from, int to, boolean[] hidden) {
            float[] q = r.q();
            float[] out = scratch.weights;
            float scale = r.scale();
            int kw = keysTStride;
            int q0 = qOf(0);
            int j = from;
            for (; j + 3 * LANES < to; j += 4 * LANES) {
                if (fourHidden(hidden, j)) {
                    continue;
                }
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
                for (int d = 0, row = keysTAt + j; d < hd; d++, row += kw) {
                    FloatVector x = FloatVector.broadcast(S, q[q0 + d]);
                    a0 = x.fma(FloatVector.fromArray(S, keysT, row), a0);
                    a1 = x.fma(FloatVector.fromArray(S, keysT, row + LANES), a1);
                    a2 = x.fma(FloatVector.fromArray(S, keysT, row + 2 * LANES), a2);
                    a3 = x.fma(FloatVector.fromArray(S, keysT, row + 3 * LANES), a3);
                }
                a0.mul(scale).intoArray(out, j);
                a1.mul(scale).intoArray(out, j + LANES);
                a2.mul(scale).intoArray(out, j + 2 * LANES);
                a3.mul(scale).intoArray(out, j + 3 * LANES);
            }
            for (; j < to; j += LANES) {
                if (hidden != null && hidden[j / LANES]) {
                    continue;
                }
                FloatVector a0 = FloatVector.zero(S);
                for (int d = 0, row = keysTAt + j; d < hd; d++, row += kw) {
                    a0 = FloatVector.broadcast(S, q[q0 + d]).fma(FloatVector.fromArray(S, keysT, row), a0);
                }
                a0.mul(scale).intoArray(out, j);
            }
        }

        /** Whether the mask hides the four key vectors from j on from every row of the tile. */
        private static boolean fourHidden(boolean[] hidden, int j) {
            return hidden != null && hidden[j / LANES] && hidden[j / LANES + 1] && hidden[j / LANES + 2]
                    && hidden[j / LANES + 3];
        }

        /** weights[t][j] = scale · q_rowOf[t] · k_j for the four rows, j in [from, to), from a multiple of LANES. */
        private void scores4(int from, int to, boolean[] hidden) {
            float[] q = r.q();
            float[] out = scratch.weights;
            float scale = r.scale();
            int w = width;
            int kw = keysTStride;
            int q0 = qOf(0);
            int q1 = qOf(1);
            int q2 = qOf(2);
            int q3 = qOf(3);
            int j = from;
            for (; j + 3 * LANES < to; j += 4 * LANES) {
                if (fourHidden(hidden, j)) {
                    continue;
                }
                FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
                FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
                FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S);
                FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S);
                for (int d = 0, row = keysTAt + j; d < hd; d++, row += kw) {
                    FloatVector k0 = FloatVector.fromArray(S, keysT, row);
                    FloatVector k1 = FloatVector.fromArray(S, keysT, row + LANES);
                    FloatVector k2 = FloatVector.fromArray(S, keysT, row + 2 * LANES);
                    FloatVector k3 = FloatVector.fromArray(S, keysT, row + 3 * LANES);
                    FloatVector x = FloatVector.broadcast(S, q[q0 + d]);
                    a00 = x.fma(k0, a00);
                    a01 = x.fma(k1, a01);
                    a02 = x.fma(k2, a02);
                    a03 = x.fma(k3, a03);
                    x = FloatVector.broadcast(S, q[q1 + d]);
                    a10 = x.fma(k0, a10);
                    a11 = x.fma(k1, a11);
                    a12 = x.fma(k2, a12);
                    a13 = x.fma(k3, a13);
                    x = FloatVector.broadcast(S, q[q2 + d]);
                    a20 = x.fma(k0, a20);
                    a21 = x.fma(k1, a21);
                    a22 = x.fma(k2, a22);
                    a23 = x.fma(k3, a23);
                    x = FloatVector.broadcast(S, q[q3 + d]);
                    a30 = x.fma(k0, a30);
                    a31 = x.fma(k1, a31);
                    a32 = x.fma(k2, a32);
                    a33 = x.fma(k3, a33);
                }
                a00.mul(scale).intoArray(out, j);
                a01.mul(scale).intoArray(out, j + LANES);
                a02.mul(scale).intoArray(out, j + 2 * LANES);
                a03.mul(scale).intoArray(out, j + 3 * LANES);
                a10.mul(scale).intoArray(out, w + j);
                a11.mul(scale).intoArray(out, w + j + LANES);
                a12.mul(scale).intoArray(out, w + j + 2 * LANES);
                a13.mul(scale).intoArray(out, w + j + 3 * LANES);
                a20.mul(scale).intoArray(out, 2 * w + j);
                a21.mul(scale).intoArray(out, 2 * w + j + LANES);
                a22.mul(scale).intoArray(out, 2 * w + j + 2 * LANES);
                a23.mul(scale).intoArray(out, 2 * w + j + 3 * LANES);
                a30.mul(scale).intoArray(out, 3 * w + j);
                a31.mul(scale).intoArray(out, 3 * w + j + LANES);
                a32.mul(scale).intoArray(out, 3 * w + j + 2 * LANES);
                a33.mul(scale).intoArray(out, 3 * w + j + 3 * LANES);
            }
            for (; j < to; j += LANES) {
                if (hidden != null && hidden[j / LANES]) {
                    continue;
                }
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
                for (int d = 0, row = keysTAt + j; d < hd; d++, row += kw) {
                    FloatVector k0 = FloatVector.fromArray(S, keysT, row);
                    a0 = FloatVector.broadcast(S, q[q0 + d]).fma(k0, a0);
                    a1 = FloatVector.broadcast(S, q[q1 + d]).fma(k0, a1);
                    a2 = FloatVector.broadcast(S, q[q2 + d]).fma(k0, a2);
                    a3 = FloatVector.broadcast(S, q[q3 + d]).fma(k0, a3);
                }
                a0.mul(scale).intoArray(out, j);
                a1.mul(scale).intoArray(out, w + j);
                a2.mul(scale).intoArray(out, 2 * w + j);
                a3.mul(scale).intoArray(out, 3 * w + j);
            }
        }

        /**
         * Row t of the tile: mask and bias, then weights[lo, hi) = softmax, written to the caller's
         * buffer when asked. A row that sees no key gets the empty range.
         */
        private void softmax(int t, boolean[] hidden) {
            int i = scratch.rowOf[t];
            float[] weights = scratch.weights;
            int at = t * width;
            int lo = scratch.lo[t];
            int hi = scratch.hi[t];
            if (allowed != null && r.bias() == null) {
                // whole blocks of LANES keys by vector masks (keys outside [lo, hi) are hidden too)
                int row = i * lenK;
                int j = floorToLanes(lo);
                for (; j + LANES <= Math.min(hi + LANES - 1, lenK); j += LANES) {
                    VectorMath.hideMasked(weights, at + j, allowed, row + j);
                }
                for (; j < hi; j++) {
                    if (!allowed[row + j]) {
                        weights[at + j] = Float.NEGATIVE_INFINITY;
                    }
                }
            } else if (allowed != null || r.bias() != null) {
                int row = i * lenK;
                for (int j = lo; j < hi; j++) {
                    if (allowed != null && !allowed[row + j]) {
                        weights[at + j] = Float.NEGATIVE_INFINITY;
                    } else if (r.bias() != null) {
                        weights[at + j] += r.bias().bias(s, scratch.headOf[t], i, j);
                    }
                }
            }
            // Whole vectors from here on: the lanes around [lo, hi) become −∞, so e^(x − max) is 0 there.
            int from = at + floorToLanes(lo);
            int to = at + roundUp(hi);
            Arrays.fill(weights, from, at + lo, Float.NEGATIVE_INFINITY);
            Arrays.fill(weights, at + hi, to, Float.NEGATIVE_INFINITY);
            float max = VectorMath.maxOf(weights, from, to);
            if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max)) {
                // no key is visible: the row contributes nothing (zeros, never NaN)
                scratch.lo[t] = scratch.hi[t] = 0;
                scratch.inv[t] = 0;
                writeProbabilities(t);
                return;
            }
            // blocks hidden from the whole tile are all −∞: their e^x is 0, written without computing it
            float sum = VectorMath.expInPlace(weights, from, to, max, hidden, floorToLanes(lo) / LANES);
            // The weights stay e^(x − max); the output row is scaled by 1/sum once at the end, so
            // the sum's latency hides behind the value products and no pass rescales the weights.
            scratch.inv[t] = 1 / sum;
            writeProbabilities(t);
        }

        /** Tile place t's probabilities into the caller's buffer, when asked: zeros outside [lo, hi). */
        private void writeProbabilities(int t) {
            int head = scratch.headOf[t];
            if (probs == null || r.probabilityHeads() != null && !r.probabilityHeads()[head]) {
                return;
            }
            int probsAt = (head * lenQ + scratch.rowOf[t]) * lenK;
            int lo = scratch.lo[t];
            int hi = scratch.hi[t];
            Arrays.fill(probs, probsAt, probsAt + lo, 0f);
            VectorMath.scaleInto(scratch.weights, t * width + lo, t * width + hi, scratch.inv[t], probs, probsAt + lo);
            Arrays.fill(probs, probsAt + hi, probsAt + lenK, 0f);
        }

        /**
         * {@link #softmax} of the four rows of a full tile that see the same keys and have neither
         * mask nor bias, interleaved: one row's max, sum and lane sums are chains of dependent
         * operations, and four independent chains keep the vector units busy. Each row's operations,
         * and so its bits, are those of {@link #softmax}.
         */
        private void softmax4() {
            float[] p = scratch.weights;
            int lo = scratch.lo[0];
            int hi = scratch.hi[0];
            int w = width;
            int from = floorToLanes(lo);
            int to = roundUp(hi);
            for (int t = 0; t < TILE; t++) {
                Arrays.fill(p, t * w + from, t * w + lo, Float.NEGATIVE_INFINITY);
                Arrays.fill(p, t * w + hi, t * w + to, Float.NEGATIVE_INFINITY);
            }
            FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
            for (int j = from; j < to; j += LANES) {
                m0 = m0.max(FloatVector.fromArray(S, p, j));
                m1 = m1.max(FloatVector.fromArray(S, p, w + j));
                m2 = m2.max(FloatVector.fromArray(S, p, 2 * w + j));
                m3 = m3.max(FloatVector.fromArray(S, p, 3 * w + j));
            }
            float max0 = m0.reduceLanes(VectorOperators.MAX), max1 = m1.reduceLanes(VectorOperators.MAX);
            float max2 = m2.reduceLanes(VectorOperators.MAX), max3 = m3.reduceLanes(VectorOperators.MAX);
            if (!(Float.isFinite(max0) && Float.isFinite(max1) && Float.isFinite(max2) && Float.isFinite(max3))) {
                for (int t = 0; t < TILE; t++) {  // a score of ±∞ or NaN: the per-row path deals with it
                    softmax(t, null);
                }
                return;
            }
            float[] inv = scratch.inv;
            inv[0] = 1 / VectorMath.expInPlace(p, from, to, max0, null, 0);
            inv[1] = 1 / VectorMath.expInPlace(p, w + from, w + to, max1, null, 0);
            inv[2] = 1 / VectorMath.expInPlace(p, 2 * w + from, 2 * w + to, max2, null, 0);
            inv[3] = 1 / VectorMath.expInPlace(p, 3 * w + from, 3 * w + to, max3, null, 0);
            for (int t = 0; t < TILE; t++) {
                writeProbabilities(t);
            }
        }

        /**
         * out rows of places [0, rows) = Σ_j p_tj · v_j. Keys [loMax, hiMin), seen by all the rows, run
         * in registers for all four places of the tile with each value vector loaded once; keys
         * only some rows see run per row on sums kept in scratch, in key order, so each element's
         * two chains are those of {@link #values1}.
         */
        private void values4(int rows, int loMax, int hiMin, boolean[] hidden) {
            float[] acc = scratch.acc;
            int hdp = roundUp(hd);
            Arrays.fill(acc, 0, TILE * 2 * hdp, 0f);
            for (int t = 0; t < rows; t++) {
                accumulate(t, scratch.lo[t], loMax);
            }
            float[] p = scratch.weights;
            int w = width;
            int d = 0;
            for (; d + 2 * LANES <= hd; d += 2 * LANES) {
                // [row t][chain e/o][vector 0/1]
                FloatVector t0e0 = FloatVector.fromArray(S, acc, d), t0e1 = FloatVector.fromArray(S, acc, d + LANES);
                FloatVector t0o0 = FloatVector.fromArray(S, acc, hdp + d), t0o1 = FloatVector.fromArray(S, acc, hdp + d + LANES);
                FloatVector t1e0 = FloatVector.fromArray(S, acc, 2 * hdp + d), t1e1 = FloatVector.fromArray(S, acc, 2 * hdp + d + LANES);
                FloatVector t1o0 = FloatVector.fromArray(S, acc, 3 * hdp + d), t1o1 = FloatVector.fromArray(S, acc, 3 * hdp + d + LANES);
                FloatVector t2e0 = FloatVector.fromArray(S, acc, 4 * hdp + d), t2e1 = FloatVector.fromArray(S, acc, 4 * hdp + d + LANES);
                FloatVector t2o0 = FloatVector.fromArray(S, acc, 5 * hdp + d), t2o1 = FloatVector.fromArray(S, acc, 5 * hdp + d + LANES);
                FloatVector t3e0 = FloatVector.fromArray(S, acc, 6 * hdp + d), t3e1 = FloatVector.fromArray(S, acc, 6 * hdp + d + LANES);
                FloatVector t3o0 = FloatVector.fromArray(S, acc, 7 * hdp + d), t3o1 = FloatVector.fromArray(S, acc, 7 * hdp + d + LANES);
                int j = loMax;
                if ((j & 1) == 1) {  // an odd first key belongs to the odd chain
                    int at = kvAt + j * kvRowStride + d;
                    FloatVector v0 = FloatVector.fromArray(S, v, at), v1 = FloatVector.fromArray(S, v, at + LANES);
                    FloatVector x = FloatVector.broadcast(S, p[j]);
                    t0o0 = x.fma(v0, t0o0);
                    t0o1 = x.fma(v1, t0o1);
                    x = FloatVector.broadcast(S, p[w + j]);
                    t1o0 = x.fma(v0, t1o0);
                    t1o1 = x.fma(v1, t1o1);
                    x = FloatVector.broadcast(S, p[2 * w + j]);
                    t2o0 = x.fma(v0, t2o0);
                    t2o1 = x.fma(v1, t2o1);
                    x = FloatVector.broadcast(S, p[3 * w + j]);
                    t3o0 = x.fma(v0, t3o0);
                    t3o1 = x.fma(v1, t3o1);
                    j++;
                }
                while (j + 1 < hiMin) {
                    if (hidden != null && j % LANES == 0 && hidden[j / LANES]) {
                        j += LANES;  // every row's weight is 0 here: skipping adds nothing
                        continue;
                    }
                    int at = kvAt + j * kvRowStride + d;
                    FloatVector e0 = FloatVector.fromArray(S, v, at), e1 = FloatVector.fromArray(S, v, at + LANES);
                    FloatVector o0 = FloatVector.fromArray(S, v, at + kvRowStride), o1 = FloatVector.fromArray(S, v, at + kvRowStride + LANES);
                    FloatVector x = FloatVector.broadcast(S, p[j]);
                    FloatVector y = FloatVector.broadcast(S, p[j + 1]);
                    t0e0 = x.fma(e0, t0e0);
                    t0e1 = x.fma(e1, t0e1);
                    t0o0 = y.fma(o0, t0o0);
                    t0o1 = y.fma(o1, t0o1);
                    x = FloatVector.broadcast(S, p[w + j]);
                    y = FloatVector.broadcast(S, p[w + j + 1]);
                    t1e0 = x.fma(e0, t1e0);
                    t1e1 = x.fma(e1, t1e1);
                    t1o0 = y.fma(o0, t1o0);
                    t1o1 = y.fma(o1, t1o1);
                    x = FloatVector.broadcast(S, p[2 * w + j]);
                    y = FloatVector.broadcast(S, p[2 * w + j + 1]);
                    t2e0 = x.fma(e0, t2e0);
                    t2e1 = x.fma(e1, t2e1);
                    t2o0 = y.fma(o0, t2o0);
                    t2o1 = y.fma(o1, t2o1);
                    x = FloatVector.broadcast(S, p[3 * w + j]);
                    y = FloatVector.broadcast(S, p[3 * w + j + 1]);
                    t3e0 = x.fma(e0, t3e0);
                    t3e1 = x.fma(e1, t3e1);
                    t3o0 = y.fma(o0, t3o0);
                    t3o1 = y.fma(o1, t3o1);
                    j += 2;
                }
                if (j < hiMin) {  // a last, even key
                    int at = kvAt + j * kvRowStride + d;
                    FloatVector v0 = FloatVector.fromArray(S, v, at), v1 = FloatVector.fromArray(S, v, at + LANES);
                    FloatVector x = FloatVector.broadcast(S, p[j]);
                    t0e0 = x.fma(v0, t0e0);
                    t0e1 = x.fma(v1, t0e1);
                    x = FloatVector.broadcast(S, p[w + j]);
                    t1e0 = x.fma(v0, t1e0);
                    t1e1 = x.fma(v1, t1e1);
                    x = FloatVector.broadcast(S, p[2 * w + j]);
                    t2e0 = x.fma(v0, t2e0);
                    t2e1 = x.fma(v1, t2e1);
                    x = FloatVector.broadcast(S, p[3 * w + j]);
                    t3e0 = x.fma(v0, t3e0);
                    t3e1 = x.fma(v1, t3e1);
                }
                t0e0.intoArray(acc, d);
                t0e1.intoArray(acc, d + LANES);
                t0o0.intoArray(acc, hdp + d);
                t0o1.intoArray(acc, hdp + d + LANES);
                t1e0.intoArray(acc, 2 * hdp + d);
                t1e1.intoArray(acc, 2 * hdp + d + LANES);
                t1o0.intoArray(acc, 3 * hdp + d);
                t1o1.intoArray(acc, 3 * hdp + d + LANES);
                t2e0.intoArray(acc, 4 * hdp + d);
                t2e1.intoArray(acc, 4 * hdp + d + LANES);
                t2o0.intoArray(acc, 5 * hdp + d);
                t2o1.intoArray(acc, 5 * hdp + d + LANES);
                t3e0.intoArray(acc, 6 * hdp + d);
                t3e1.intoArray(acc, 6 * hdp + d + LANES);
                t3o0.intoArray(acc, 7 * hdp + d);
                t3o1.intoArray(acc, 7 * hdp + d + LANES);
            }
            // head sizes that are not a multiple of two vectors: the rest per row, on the scratch sums
            for (int t = 0; t < rows; t++) {
                accumulateColumns(t, loMax, hiMin, d);
            }
            for (int t = 0; t < rows; t++) {
                accumulate(t, hiMin, scratch.hi[t]);
                finish(t);
            }
        }

        /** Tile place t's output row on its own: its chains from zero over its whole key range. */
        private void values1(int t) {
            Arrays.fill(scratch.acc, t * 2 * roundUp(hd), (t + 1) * 2 * roundUp(hd), 0f);
            accumulate(t, scratch.lo[t], scratch.hi[t]);
            finish(t);
        }

        /** Scratch sums of tile row t += p_tj · v_j for keys [from, to), every head column. */
        private void accumulate(int t, int from, int to) {
            accumulateColumns(t, from, to, 0);
        }

        /** Scratch sums of tile row t, columns [d0, hd), += p_tj · v_j for keys [from, to) in order. */
        private void accumulateColumns(int t, int from, int to, int d0) {
            if (from >= to || d0 >= hd) {
                return;
            }
            float[] acc = scratch.acc;
            float[] p = scratch.weights;
            int hdp = roundUp(hd);
            int even = t * 2 * hdp;
            int odd = even + hdp;
            int pAt = t * width;
            int d = d0;
            // whole vectors: plain loads (C2 compiles a masked one to a bounds check per lane) and the
            // keys in pairs, even key to the even chain, odd to the odd one
            for (; d + LANES <= hd; d += LANES) {
                FloatVector e = FloatVector.fromArray(S, acc, even + d);
                FloatVector o = FloatVector.fromArray(S, acc, odd + d);
                int j = from;
                if ((j & 1) == 1) {
                    o = FloatVector.broadcast(S, p[pAt + j]).fma(FloatVector.fromArray(S, v, kvAt + j * kvRowStride + d), o);
                    j++;
                }
                for (; j + 1 < to; j += 2) {
                    int at = kvAt + j * kvRowStride + d;
                    e = FloatVector.broadcast(S, p[pAt + j]).fma(FloatVector.fromArray(S, v, at), e);
                    o = FloatVector.broadcast(S, p[pAt + j + 1]).fma(FloatVector.fromArray(S, v, at + kvRowStride), o);
                }
                if (j < to) {
                    e = FloatVector.broadcast(S, p[pAt + j]).fma(FloatVector.fromArray(S, v, kvAt + j * kvRowStride + d), e);
                }
                e.intoArray(acc, even + d);
                o.intoArray(acc, odd + d);
            }
            for (; d < hd; d += LANES) {
                VectorMask<Float> m = S.indexInRange(d, hd);
                FloatVector e = FloatVector.fromArray(S, acc, even + d);
                FloatVector o = FloatVector.fromArray(S, acc, odd + d);
                for (int j = from; j < to; j++) {
                    FloatVector x = FloatVector.broadcast(S, p[pAt + j]);
                    FloatVector vj = FloatVector.fromArray(S, v, kvAt + j * kvRowStride + d, m);
                    if ((j & 1) == 0) {
                        e = x.fma(vj, e);
                    } else {
                        o = x.fma(vj, o);
                    }
                }
                e.intoArray(acc, even + d);
                o.intoArray(acc, odd + d);
            }
        }

        /** Tile place t's output row = (even chain + odd chain) / Σ e^(x − max) of the row. */
        private void finish(int t) {
            float[] acc = scratch.acc;
            float[] out = r.out();
            float inv = scratch.inv[t];
            int hdp = roundUp(hd);
            int even = t * 2 * hdp;
            int outAt = (firstQ + scratch.rowOf[t]) * outStride + scratch.headOf[t] * hd;
            for (int d = 0; d < hd; d += LANES) {
                VectorMask<Float> m = S.indexInRange(d, hd);
                FloatVector.fromArray(S, acc, even + d).add(FloatVector.fromArray(S, acc, even + hdp + d)).mul(inv)
                        .intoArray(out, outAt + d, m);
            }
        }
    }

    private static int roundUp(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    private static int floorToLanes(int n) {
        return n - n % LANES;
    }
}
