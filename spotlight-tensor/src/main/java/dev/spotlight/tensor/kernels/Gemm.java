package dev.spotlight.tensor.kernels;

import dev.spotlight.tensor.Parallel;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntToLongFunction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = act(A · W + bias) + residual} on a pre-packed W: a register-tiled micro-kernel of
 * {@link #ROWS} rows × one {@link #PANEL}-column panel (12 accumulators on 512-bit vectors). The
 * accumulators start from the bias (and from the residual when no activation follows), so the
 * product needs no second pass; an activation runs per group of panels of a row chunk as soon as
 * the group is done.
 *
 * <p>Every output element is one chain of FMAs over k in ascending order, whether its row is in a
 * full 6-row tile or a remainder row, and threads split the work over row chunks and column panels,
 * never over k: a row's result is bitwise the same for any M, any batch and any thread count.
 *
 * <p>W may be stored in any {@link Precision}. BF16 and F16 weights are widened to float exactly,
 * in registers or into a float copy of the panel ({@link HalfPanels}), before the same FMA chain:
 * the product has the bits of the widened weights packed as F32.
 */
public final class Gemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int LANES = S.length();
    /** Columns per packed panel: two vectors. */
    public static final int PANEL = 2 * LANES;
    /** Rows per register tile. */
    static final int ROWS = 6;
    /** A row chunk is sized to keep its slice of A within this many bytes (in L2 with the B panel). */
    private static final int A_CHUNK_BYTES = 192 * 1024;
    /**
     * The same for BF16/F16 weights, whose panels are widened once per row chunk: the conversion
     * costs about what 3 rows of FMAs do, so chunks of ~24 rows (192 KiB of A at k = 2048) lost
     * 15-20% of the F32 speed, whole 128- and 512-row products 3-5% (one thread, CPU time). A
     * chunk's A is then read from L3 once per panel; half the L3 bounds it.
     */
    private static final int WIDENED_A_CHUNK_BYTES = 16 << 20;
    /**
     * From this many rows in a chunk on, a BF16 panel is widened once into floats rather than in
     * registers by every tile. One thread, CPU time: at 16 and 32 rows the in-register tiles ran
     * 87-91 GFLOP/s against 65-81 widened (weights from memory); at 64 both 94; at 128 and 512
     * rows (k = n = 2048) the widened panel ran 102-108 against 97 (the shift and AND compete with
     * the FMAs for the vector ports).
     */
    private static final int BF16_WIDEN_ROWS = 64;
    /** With an activation, the output of a row chunk's group of panels is kept within this many bytes. */
    private static final int C_CHUNK_BYTES = 256 * 1024;
    /**
     * The fewest rows an F32 chunk takes, whatever A_CHUNK_BYTES allows: each chunk reads every
     * weight panel once more, and at k = 8192 (a Llama MLP's down projection) 6-row chunks streamed
     * the 64 MB of weights from memory 85 times for 512 rows. 24 rows (768 KiB of A, still within the
     * 1 MiB L2): 512 × 8192 × 2048 from 74-83 to 97-98 GFLOP/s, k = 3072 82-94 to 90-101 (one thread,
     * CPU time, alternating builds). Chunks under A_CHUNK_BYTES already have more rows.
     */
    static final int MIN_F32_CHUNK_ROWS = 24;
    /**
     * The most panels a thread claims at once in a single-row product, and the most whose F32 weights
     * stream together in one kernel. One thread reading one panel at a time reached ~80% of the
     * memory's read bandwidth (a 73 KB panel at k = 576: 18-20 GB/s against the meter's 22-25), four
     * at once 96-110% (23-25); eight gained another ~3%. SmolLM2-135M's single-sequence decode went
     * from 46 to 52 tokens/s (median of 12 alternating rounds, ratio 1.15).
     */
    static final int SINGLE_ROW_RUN = 4;
    /** The fewest panels an activation group spans: fewer, and calls cost more than the math. */
    private static final int MIN_GROUP_PANELS = 8;

    private Gemm() {
    }

    /**
     * @param a        [m, k] row-major
     * @param bias     [n] or null
     * @param residual [m, n] or null, added after the activation; not {@code c} itself (with an activation,
     *                 c holds the activated product before the residual is added)
     * @param c        [m, n] output
     */
    public static void matmul(float[] a, int m, PackedMatrix w, float[] bias, Activation act, float[] residual, float[] c) {
        check(a, m, w.k(), "a");
        checkOutput(a, m, w, bias, c, "");
        if (residual != null) {
            check(residual, m, w.n(), "residual");
            if (residual == c) {
                throw new IllegalArgumentException("residual and c must be different arrays");
            }
        }
        run(a, m, new PackedMatrix[] {w}, new float[][] {bias}, act == null ? Activation.NONE : act, residual,
                new float[][] {c}, 0);
    }

    /**
     * {@code outs[i] = A · ws[i] + biases[i]} for several matrices of the same k, in one parallel
     * loop over all their panels (a transformer's query, key and value projections): one hand-off
     * instead of three, and no thread waits at the end of the first two. Each output has the bits
     * {@link #matmul} gives it. The matrices may differ in precision (each panel runs its own
     * matrix's kernels); row chunks are then sized for F32.
     *
     * @param biases one per matrix, each [n_i] or null
     * @param outs   one per matrix, each [m, n_i]
     */
    public static void matmulEach(float[] a, int m, PackedMatrix[] ws, float[][] biases, float[][] outs) {
        checkEach(a, m, ws, biases, outs, 0);
        run(a, m, ws, biases, Activation.NONE, null, outs, 0);
    }

    /**
     * {@link #matmulEach} with each output written head-major, [n_i / headDim, m, headDim]: the
     * layout attention reads fastest ({@link AttentionRequest#withHeadMajorInputs}), written by the
     * product itself instead of a copy. The same values as {@link #matmulEach}, elsewhere.
     */
    public static void matmulEachHeadMajor(float[] a, int m, PackedMatrix[] ws, float[][] biases, int headDim,
                                           float[][] outs) {
        if (headDim < 1) {
            throw new IllegalArgumentException("headDim must be >= 1, found " + headDim);
        }
        checkEach(a, m, ws, biases, outs, headDim);
        run(a, m, ws, biases, Activation.NONE, null, outs, headDim);
    }

    private static void checkEach(float[] a, int m, PackedMatrix[] ws, float[][] biases, float[][] outs, int headDim) {
        if (ws.length == 0 || biases.length != ws.length || outs.length != ws.length) {
            throw new IllegalArgumentException(ws.length + " matrices, " + biases.length + " biases and " + outs.length
                    + " outputs: expected one of each, at least one");
        }
        check(a, m, ws[0].k(), "a");
        for (int i = 0; i < ws.length; i++) {
            if (ws[i].k() != ws[0].k()) {
                throw new IllegalArgumentException("matrix " + i + " has k = " + ws[i].k() + ", matrix 0 has " + ws[0].k());
            }
            if (headDim > 0 && ws[i].n() % headDim != 0) {
                throw new IllegalArgumentException("matrix " + i + " has n = " + ws[i].n() + ", not a multiple of headDim "
                        + headDim);
            }
            checkOutput(a, m, ws[i], biases[i], outs[i], " " + i);
            for (int j = 0; j < i; j++) {
                if (outs[j] == outs[i]) {
                    throw new IllegalArgumentException("outputs " + j + " and " + i + " are the same array");
                }
            }
        }
    }

    /** @param headDim 0: outputs [m, n]; else [n / headDim, m, headDim] (no activation or residual then) */
    private static void run(float[] a, int m, PackedMatrix[] ws, float[][] biases, Activation activation,
                            float[] residual, float[][] outs, int headDim) {
        if (m == 0) {
            return;
        }
        int k = ws[0].k();
        long nTotal = 0;
        for (PackedMatrix w : ws) {
            nTotal += w.n();
        }
        KernelWork.gemm(m, k, nTotal, ws.length);
        // global panel p belongs to matrix i where firstPanel[i] <= p < firstPanel[i + 1]
        int[] firstPanel = new int[ws.length + 1];
        for (int i = 0; i < ws.length; i++) {
            firstPanel[i + 1] = firstPanel[i] + ws[i].panels();
        }
        int panels = firstPanel[ws.length];
        int n = ws[0].n();  // the activation and residual path has one matrix
        // Row chunks of (nearly) equal size, each within A_CHUNK_BYTES: chunks of whole 6-row tiles
        // gave one thread 126 rows and the other 1 for M = 127, 12 and 4 for M = 16 at K = 3072.
        // An even size keeps the remainder tiles at 4 or 2 rows.
        boolean widened = true;  // no F32 panel streams through L2 beside the chunk of A
        for (PackedMatrix w : ws) {
            widened &= w.precision() != Precision.F32;
        }
        int maxChunkRows = Math.max(widened ? ROWS : MIN_F32_CHUNK_ROWS, ((widened ? WIDENED_A_CHUNK_BYTES : A_CHUNK_BYTES) / (4 * k)) / ROWS * ROWS);
        if (activation != Activation.NONE) {
            // the rows of a group of panels (below) stay in L2 until their activation runs; a chunk
            // limit of C_CHUNK_BYTES over all n columns cut 128 rows into 4 chunks at n = 1536 and
            // read the weights 4 times instead of 2 (~1% slower at 128 and at 4096 rows)
            maxChunkRows = Math.min(maxChunkRows, Math.max(ROWS, (C_CHUNK_BYTES / (4 * MIN_GROUP_PANELS * PANEL)) / ROWS * ROWS));
        }
        int chunkRows = roundUp(Math.ceilDiv(m, Math.ceilDiv(m, maxChunkRows)), 2);
        int chunks = Math.ceilDiv(m, chunkRows);
        // Each accumulator starts from its bias (and its residual, when nothing comes after the
        // product), so no pass over the stored tile is needed. Biases are padded to whole panels
        // for unmasked loads.
        float[][] starts = new float[ws.length][];
        for (int i = 0; i < ws.length; i++) {
            starts[i] = new float[ws[i].panels() * PANEL];
            if (biases[i] != null) {
                System.arraycopy(biases[i], 0, starts[i], 0, ws[i].n());
            }
        }
        float[] addend = activation == Activation.NONE ? residual : null;
        // The activation (then the residual) runs on a chunk's rows, one group of panels at a time,
        // as soon as the group's last panel is done, by the thread that finished it, while the rows
        // are still in cache: a separate pass after the product read them back from memory. Groups
        // span whole rows when there are chunks enough to share among the threads; a few-row
        // product (one sentence) splits its columns into groups so that both threads activate, and
        // a chunk wider than C_CHUNK_BYTES of output splits into groups that each stay within it.
        // (Per tile, 32 columns at a time, the call overhead of the vector erf cost more than the math.)
        int groups = activation == Activation.NONE ? 1
                : Math.clamp(Math.max(Math.ceilDiv(4 * Parallel.threads(), chunks), Math.ceilDiv(4L * chunkRows * n, C_CHUNK_BYTES)),
                        1, Math.max(1, panels / MIN_GROUP_PANELS));
        int groupPanels = Math.ceilDiv(panels, groups);
        AtomicIntegerArray panelsDone = activation == Activation.NONE ? null : new AtomicIntegerArray(chunks * groups);
        // Tasks run matrix by matrix, then chunk by chunk, then panel by panel: a thread's tasks
        // reuse one matrix (384 × 384 is 576 KiB) from L2 across chunks, where panel-major order
        // over the three query/key/value matrices (1.7 MiB) streamed them from L3, 3% slower.
        // Threads split by rows, not by task count: the last chunk is shorter.
        IntToLongFunction rowsOfTask = task -> {
            int part = partOf(task, chunks, firstPanel);
            int chunk = (task - chunks * firstPanel[part]) / ws[part].panels();
            return Math.min(m, (chunk + 1) * chunkRows) - chunk * chunkRows;
        };
        // A single-row product (one sequence decoding) claims runs of up to SINGLE_ROW_RUN panels and
        // streams a run's F32 panels together (singleRowPanels).
        Parallel.forRanges(chunks * panels, rowsOfTask, m == 1 ? SINGLE_ROW_RUN : 1, (claimFrom, claimTo) -> {
            for (int task = claimFrom; task < claimTo; ) {
                int part = partOf(task, chunks, firstPanel);
                PackedMatrix w = ws[part];
                int local = task - chunks * firstPanel[part];
                int chunk = local / w.panels();
                int localPanel = local % w.panels();
                int panel = firstPanel[part] + localPanel;
                float[] c = outs[part];
                float[] start = starts[part];
                int width = w.n();
                int row0 = chunk * chunkRows;
                int rowEnd = Math.min(m, row0 + chunkRows);
                int col = localPanel * PANEL;
                // whole F32 panels of this matrix left in the run; head-major output of one row is row-major
                int run = m == 1 && w.precision() == Precision.F32
                        ? Math.min(Math.min(claimTo - task, w.panels() - localPanel), width / PANEL - localPanel) : 0;
                // a panel lies whole in c unless it is the partial last one or, head-major, crosses two heads
                boolean inPlace = col + PANEL <= width && (headDim == 0 || col % headDim + PANEL <= headDim);
                if (run > 1) {
                    if (addend != null) {
                        for (int p = 0; p < run; p++) {
                            startRows(c, start, col + p * PANEL, addend, 0, 1, width);
                        }
                        singleRowPanels(a, k, w.data, localPanel * k * PANEL, run, c, col, c, col);
                    } else {
                        singleRowPanels(a, k, w.data, localPanel * k * PANEL, run, c, col, start, col);
                    }
                } else if (inPlace && headDim > 0) {
                    panel(a, k, w, localPanel, row0, rowEnd, c, (col / headDim * m + row0) * headDim + col % headDim,
                            headDim, start, col, 0);
                } else if (inPlace && addend == null) {
                    panel(a, k, w, localPanel, row0, rowEnd, c, row0 * width + col, width, start, col, 0);
                } else if (inPlace) {
                    // the accumulators start from bias + residual, written where the tile goes
                    startRows(c, start, col, addend, row0, rowEnd, width);
                    panel(a, k, w, localPanel, row0, rowEnd, c, row0 * width + col, width, c, row0 * width + col, width);
                } else {
                    // whole tiles into a block of full panel width, then its columns
                    float[] block = new float[(rowEnd - row0) * PANEL];
                    panel(a, k, w, localPanel, row0, rowEnd, block, 0, PANEL, start, col, 0);
                    if (headDim > 0) {
                        copyHeadMajor(block, c, row0, rowEnd, m, width, col, headDim);
                    } else {
                        copyColumns(block, c, addend, row0, rowEnd, width, col);
                    }
                }
                int done = Math.max(run, 1);
                for (int p = panel; panelsDone != null && p < panel + done; p++) {
                    int group = p / groupPanels;
                    if (panelsDone.incrementAndGet(chunk * groups + group)
                            == Math.min(panels, (group + 1) * groupPanels) - group * groupPanels) {
                        int from = group * groupPanels * PANEL;
                        int to = Math.min(n, (group + 1) * groupPanels * PANEL);
                        for (int r = row0; r < rowEnd; r++) {
                            VectorMath.applyInPlace(activation, c, r * n + from, r * n + to);
                            if (residual != null) {
                                addRow(c, residual, r * n + from, r * n + to);
                            }
                        }
                    }
                }
                task += done;
            }
        });
    }

    /** The matrix of a task: tasks run matrix by matrix, {@code chunks · panels(i)} of them for matrix i. */
    private static int partOf(int task, int chunks, int[] firstPanel) {
        int part = 0;
        while (task >= chunks * firstPanel[part + 1]) {
            part++;
        }
        return part;
    }

    /**
     * Rows [row0, rowEnd) of panel {@code panel} of w into c, whatever w's precision; see {@link #tiles}.
     * BF16 widens in registers (a shift or an AND per vector) for chunks of fewer than
     * {@link #BF16_WIDEN_ROWS} rows; F16, whose conversion takes 7 instructions per vector, for
     * fewer than {@link #ROWS}. Larger chunks widen the panel once into a float copy that the
     * float tiles share.
     */
    private static void panel(float[] a, int k, PackedMatrix w, int panel, int row0, int rowEnd, float[] c, int cAt,
                              int ldc, float[] init, int initAt, int initStride) {
        int rows = rowEnd - row0;
        if (w.precision() == Precision.F32) {
            tiles(a, k, w.data, null, panel * k * PANEL, row0, rowEnd, c, cAt, ldc, init, initAt, initStride);
        } else if (w.precision() == Precision.BF16 && rows < BF16_WIDEN_ROWS) {
            tiles(a, k, null, w.halves, panel * k * LANES, row0, rowEnd, c, cAt, ldc, init, initAt, initStride);
        } else if (w.precision() == Precision.F16 && rows < ROWS) {
            HalfPanels.tilesF16(a, k, w, panel, row0, rowEnd, c, cAt, ldc, init, initAt, initStride);
        } else {
            tiles(a, k, HalfPanels.widen(w, panel), null, 0, row0, rowEnd, c, cAt, ldc, init, initAt, initStride);
        }
    }

    /**
     * Rows [row0, rowEnd) of one panel into c (row r at {@code cAt + (r − row0) · ldc}), in tiles
     * of 6, then 4, 2 and 1 rows (8 rows left over as 4 + 4). Row r's accumulators start from {@code init} at
     * {@code initAt + (r − row0) · initStride}: the padded bias (stride 0), or bias + residual
     * already written in place. Then one FMA per k in ascending order: every tile size runs the
     * same chain per element, so a row's bits never depend on which tile it fell in.
     *
     * <p>The kernels are written out per size, loads and stores whole: a kernel much over 800
     * bytes of bytecode made C1 give up compiling it ("out of virtual registers"), which could
     * leave it in slow unoptimised code for the rest of the run.
     */
    private static void tiles(float[] a, int k, float[] b, int[] bf16, int bBase, int row0, int rowEnd, float[] c, int cAt,
                              int ldc, float[] init, int initAt, int initStride) {
        int row = row0;
        // 8 rows left after the 6-row tiles run as 4 + 4, not 6 + 2
        int sixEnd = (rowEnd - row0) % ROWS == 2 && rowEnd - row0 >= 8 ? rowEnd - 8 : rowEnd;
        for (; row + ROWS <= sixEnd; row += ROWS, cAt += ROWS * ldc, initAt += ROWS * initStride) {
            if (bf16 == null) {
                tile6(a, row * k, k, b, bBase, c, cAt, ldc, init, initAt, initStride);
            } else {
                HalfPanels.tile6(a, row * k, k, bf16, bBase, c, cAt, ldc, init, initAt, initStride);
            }
        }
        for (; row + 4 <= rowEnd; row += 4, cAt += 4 * ldc, initAt += 4 * initStride) {
            if (bf16 == null) {
                tile4(a, row * k, k, b, bBase, c, cAt, ldc, init, initAt, initStride);
            } else {
                HalfPanels.tile4(a, row * k, k, bf16, bBase, c, cAt, ldc, init, initAt, initStride);
            }
        }
        if (row + 2 <= rowEnd) {
            if (bf16 == null) {
                tile2(a, row * k, k, b, bBase, c, cAt, ldc, init, initAt, initStride);
            } else {
                HalfPanels.tile2(a, row * k, k, bf16, bBase, true, c, cAt, ldc, init, initAt, initStride);
            }
            row += 2;
            cAt += 2 * ldc;
            initAt += 2 * initStride;
        }
        if (row < rowEnd) {
            if (bf16 == null) {
                tile1(a, row * k, k, b, bBase, c, cAt, ldc, init, initAt, initStride);
            } else {
                HalfPanels.tile1(a, row * k, k, bf16, bBase, true, c, cAt, init, initAt);
            }
        }
    }

    /** Six rows of one panel; see {@link #tiles}. */
    private static void tile6(float[] a, int aAt, int k, float[] b, int bBase, float[] c, int cAt, int ldc,
                              float[] init, int initAt, int initStride) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        FloatVector c10 = FloatVector.fromArray(S, init, initAt + initStride);
        FloatVector c11 = FloatVector.fromArray(S, init, initAt + initStride + LANES);
        FloatVector c20 = FloatVector.fromArray(S, init, initAt + 2 * initStride);
        FloatVector c21 = FloatVector.fromArray(S, init, initAt + 2 * initStride + LANES);
        FloatVector c30 = FloatVector.fromArray(S, init, initAt + 3 * initStride);
        FloatVector c31 = FloatVector.fromArray(S, init, initAt + 3 * initStride + LANES);
        FloatVector c40 = FloatVector.fromArray(S, init, initAt + 4 * initStride);
        FloatVector c41 = FloatVector.fromArray(S, init, initAt + 4 * initStride + LANES);
        FloatVector c50 = FloatVector.fromArray(S, init, initAt + 5 * initStride);
        FloatVector c51 = FloatVector.fromArray(S, init, initAt + 5 * initStride + LANES);
        int a0 = aAt;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        int a4 = a3 + k;
        int a5 = a4 + k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + LANES);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + kk]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + kk]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        c10.intoArray(c, cAt + ldc);
        c11.intoArray(c, cAt + ldc + LANES);
        c20.intoArray(c, cAt + 2 * ldc);
        c21.intoArray(c, cAt + 2 * ldc + LANES);
        c30.intoArray(c, cAt + 3 * ldc);
        c31.intoArray(c, cAt + 3 * ldc + LANES);
        c40.intoArray(c, cAt + 4 * ldc);
        c41.intoArray(c, cAt + 4 * ldc + LANES);
        c50.intoArray(c, cAt + 5 * ldc);
        c51.intoArray(c, cAt + 5 * ldc + LANES);
    }

    /** Four rows; see {@link #tiles}. */
    private static void tile4(float[] a, int aAt, int k, float[] b, int bBase, float[] c, int cAt, int ldc,
                              float[] init, int initAt, int initStride) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        FloatVector c10 = FloatVector.fromArray(S, init, initAt + initStride);
        FloatVector c11 = FloatVector.fromArray(S, init, initAt + initStride + LANES);
        FloatVector c20 = FloatVector.fromArray(S, init, initAt + 2 * initStride);
        FloatVector c21 = FloatVector.fromArray(S, init, initAt + 2 * initStride + LANES);
        FloatVector c30 = FloatVector.fromArray(S, init, initAt + 3 * initStride);
        FloatVector c31 = FloatVector.fromArray(S, init, initAt + 3 * initStride + LANES);
        int a0 = aAt;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + LANES);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        c10.intoArray(c, cAt + ldc);
        c11.intoArray(c, cAt + ldc + LANES);
        c20.intoArray(c, cAt + 2 * ldc);
        c21.intoArray(c, cAt + 2 * ldc + LANES);
        c30.intoArray(c, cAt + 3 * ldc);
        c31.intoArray(c, cAt + 3 * ldc + LANES);
    }

    /** Two rows; see {@link #tiles}. */
    private static void tile2(float[] a, int aAt, int k, float[] b, int bBase, float[] c, int cAt, int ldc,
                              float[] init, int initAt, int initStride) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        FloatVector c10 = FloatVector.fromArray(S, init, initAt + initStride);
        FloatVector c11 = FloatVector.fromArray(S, init, initAt + initStride + LANES);
        int a0 = aAt;
        int a1 = a0 + k;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + LANES);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        c10.intoArray(c, cAt + ldc);
        c11.intoArray(c, cAt + ldc + LANES);
    }

    /** One row; see {@link #tiles}. */
    private static void tile1(float[] a, int aAt, int k, float[] b, int bBase, float[] c, int cAt, int ldc,
                              float[] init, int initAt, int initStride) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        int a0 = aAt;
        for (int kk = 0, bo = bBase; kk < k; kk++, bo += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + LANES);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
    }

    /**
     * One row over {@code count} consecutive whole panels (b at bBase, c and init at cAt and initAt,
     * each PANEL further per panel): four panels at a time, then two, then one. Each element is the
     * same FMA chain as in {@link #tile1}; several weight streams at once read them from memory
     * faster than one.
     */
    private static void singleRowPanels(float[] a, int k, float[] b, int bBase, int count, float[] c, int cAt,
                                        float[] init, int initAt) {
        int p = 0;
        for (; p + 4 <= count; p += 4) {
            tile1x4(a, k, b, bBase + p * k * PANEL, c, cAt + p * PANEL, init, initAt + p * PANEL);
        }
        if (p + 2 <= count) {
            tile1x2(a, k, b, bBase + p * k * PANEL, c, cAt + p * PANEL, init, initAt + p * PANEL);
            p += 2;
        }
        if (p < count) {
            tile1(a, 0, k, b, bBase + p * k * PANEL, c, cAt + p * PANEL, 0, init, initAt + p * PANEL, 0);
        }
    }

    /** One row, four consecutive panels; see {@link #singleRowPanels}. */
    private static void tile1x4(float[] a, int k, float[] b, int bBase, float[] c, int cAt, float[] init, int initAt) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        FloatVector c10 = FloatVector.fromArray(S, init, initAt + PANEL);
        FloatVector c11 = FloatVector.fromArray(S, init, initAt + PANEL + LANES);
        FloatVector c20 = FloatVector.fromArray(S, init, initAt + 2 * PANEL);
        FloatVector c21 = FloatVector.fromArray(S, init, initAt + 2 * PANEL + LANES);
        FloatVector c30 = FloatVector.fromArray(S, init, initAt + 3 * PANEL);
        FloatVector c31 = FloatVector.fromArray(S, init, initAt + 3 * PANEL + LANES);
        int stride = k * PANEL;
        for (int kk = 0, b0 = bBase, b1 = bBase + stride, b2 = b1 + stride, b3 = b2 + stride; kk < k;
             kk++, b0 += PANEL, b1 += PANEL, b2 += PANEL, b3 += PANEL) {
            FloatVector x = FloatVector.broadcast(S, a[kk]);
            c00 = x.fma(FloatVector.fromArray(S, b, b0), c00);
            c01 = x.fma(FloatVector.fromArray(S, b, b0 + LANES), c01);
            c10 = x.fma(FloatVector.fromArray(S, b, b1), c10);
            c11 = x.fma(FloatVector.fromArray(S, b, b1 + LANES), c11);
            c20 = x.fma(FloatVector.fromArray(S, b, b2), c20);
            c21 = x.fma(FloatVector.fromArray(S, b, b2 + LANES), c21);
            c30 = x.fma(FloatVector.fromArray(S, b, b3), c30);
            c31 = x.fma(FloatVector.fromArray(S, b, b3 + LANES), c31);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        c10.intoArray(c, cAt + PANEL);
        c11.intoArray(c, cAt + PANEL + LANES);
        c20.intoArray(c, cAt + 2 * PANEL);
        c21.intoArray(c, cAt + 2 * PANEL + LANES);
        c30.intoArray(c, cAt + 3 * PANEL);
        c31.intoArray(c, cAt + 3 * PANEL + LANES);
    }

    /** One row, two consecutive panels; see {@link #singleRowPanels}. */
    private static void tile1x2(float[] a, int k, float[] b, int bBase, float[] c, int cAt, float[] init, int initAt) {
        FloatVector c00 = FloatVector.fromArray(S, init, initAt);
        FloatVector c01 = FloatVector.fromArray(S, init, initAt + LANES);
        FloatVector c10 = FloatVector.fromArray(S, init, initAt + PANEL);
        FloatVector c11 = FloatVector.fromArray(S, init, initAt + PANEL + LANES);
        for (int kk = 0, b0 = bBase, b1 = bBase + k * PANEL; kk < k; kk++, b0 += PANEL, b1 += PANEL) {
            FloatVector x = FloatVector.broadcast(S, a[kk]);
            c00 = x.fma(FloatVector.fromArray(S, b, b0), c00);
            c01 = x.fma(FloatVector.fromArray(S, b, b0 + LANES), c01);
            c10 = x.fma(FloatVector.fromArray(S, b, b1), c10);
            c11 = x.fma(FloatVector.fromArray(S, b, b1 + LANES), c11);
        }
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + LANES);
        c10.intoArray(c, cAt + PANEL);
        c11.intoArray(c, cAt + PANEL + LANES);
    }

    /** c[r][col, col + PANEL) = start[col, col + PANEL) + residual[r][col, col + PANEL) for rows [from, to). */
    private static void startRows(float[] c, float[] start, int col, float[] residual, int from, int to, int n) {
        FloatVector s0 = FloatVector.fromArray(S, start, col);
        FloatVector s1 = FloatVector.fromArray(S, start, col + LANES);
        for (int r = from, at = from * n + col; r < to; r++, at += n) {
            s0.add(FloatVector.fromArray(S, residual, at)).intoArray(c, at);
            s1.add(FloatVector.fromArray(S, residual, at + LANES)).intoArray(c, at + LANES);
        }
    }

    /** c's columns [col, n) of rows [from, to) from a block of full panel rows, plus the residual when given. */
    private static void copyColumns(float[] block, float[] c, float[] residual, int from, int to, int n, int col) {
        for (int r = from; r < to; r++) {
            int at = r * n + col;
            System.arraycopy(block, (r - from) * PANEL, c, at, n - col);
            if (residual != null) {
                addRow(c, residual, at, r * n + n);
            }
        }
    }

    /** Columns [col, min(col + PANEL, n)) of rows [from, to) from a block of full panel rows into head-major c. */
    private static void copyHeadMajor(float[] block, float[] c, int from, int to, int m, int n, int col, int headDim) {
        for (int j = col; j < Math.min(col + PANEL, n); j++) {
            int at = (j / headDim * m) * headDim + j % headDim;
            for (int r = from; r < to; r++) {
                c[at + r * headDim] = block[(r - from) * PANEL + j - col];
            }
        }
    }

    /** c[from, to) += residual[from, to). */
    private static void addRow(float[] c, float[] residual, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector.fromArray(S, c, i).add(FloatVector.fromArray(S, residual, i)).intoArray(c, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector.fromArray(S, c, i, m).add(FloatVector.fromArray(S, residual, i, m)).intoArray(c, i, m);
        }
    }

    private static int roundUp(int x, int multiple) {
        return Math.ceilDiv(x, multiple) * multiple;
    }

    private static void checkOutput(float[] a, int m, PackedMatrix w, float[] bias, float[] c, String which) {
        check(c, m, w.n(), "c" + which);
        if (a == c) {
            throw new IllegalArgumentException("a and c" + which + " must be different arrays");
        }
        if (bias != null && bias.length != w.n()) {
            throw new IllegalArgumentException("bias" + which + " has " + bias.length + " values, expected n = " + w.n());
        }
    }

    private static void check(float[] array, int rows, int cols, String name) {
        if (array == null || array.length < (long) rows * cols) {
            throw new IllegalArgumentException(name + " has " + (array == null ? "no" : array.length) + " floats, expected "
                    + rows + "*" + cols);
        }
    }
}
