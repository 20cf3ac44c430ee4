package org.legodnn.kernels.gemm;

import static org.legodnn.kernels.gemm.GemmMicroKernel.L;
import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;
import static org.legodnn.kernels.gemm.GemmMicroKernel.NR;
import static org.legodnn.kernels.gemm.GemmMicroKernel.SPECIES;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import org.legodnn.kernels.Parallel;

/**
 * The matrix product of inference: a weight matrix packed once ({@link PackedMatrix}) times an activation
 * matrix, with the layer's epilogue — a bias per row, an optional residual of C's shape, and a clamp (ReLU
 * is {@code [0, ∞)}, ReLU6 {@code [0, 6]}) — applied to each {@code MR×NR} tile of C right after its last
 * depth block, while the tile is still in L1. A convolution followed by BatchNorm (folded into the weights),
 * a residual add and a ReLU thus writes its output once, instead of once per op.
 *
 * <p>The loops are {@link Gemm}'s without the packing of A: blocks of {@code NC} columns of B, depth blocks
 * of B packed into a per-thread buffer, then tiles of C spread over the threads.
 */
public final class GemmPacked {

    /** Below this many multiply-adds, waking other threads costs more than it saves. */
    static final long PARALLEL_MIN = Gemm.PARALLEL_MIN;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Each thread's bias rows for the full tiles of the first depth block ({@link #biasRows}). */
    private static final ThreadLocal<float[]> BIAS_ROWS = ThreadLocal.withInitial(() -> new float[0]);

    private GemmPacked() {
    }

    /**
     * {@code C = clamp(A·B + bias + R, lo, hi)}, where A is the packed {@code m×k} matrix, B is {@code k×n}
     * row-major at {@code b[bOff]} (leading dimension {@code ldb}), C is {@code m×n} at {@code c[cOff]}
     * (leading dimension {@code ldc}). {@code bias[biasOff + i]} is added to row {@code i} (bias may be
     * null); R, when {@code res} is not null, is read at {@code res[resOff + i·ldc + j]}. Infinite bounds
     * clamp nothing. C must not overlap A, B or R. Uses every thread of {@link Parallel} when the product is
     * large enough.
     */
    public static void multiply(PackedMatrix a, int n, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                float[] bias, int biasOff, float[] res, int resOff, float lo, float hi) {
        int threads = (long) a.rows() * n * a.cols() < PARALLEL_MIN ? 1 : Parallel.threads();
        multiply(a, 0, a.panels(), n, b, bOff, ldb, c, cOff, ldc, bias, biasOff, res, resOff, lo, hi, threads);
    }

    /**
     * {@link #multiply} for the rows of A's panels {@code [qaFrom, qaTo)} only (rows {@code qaFrom·MR} up to
     * {@code min(m, qaTo·MR)}), on at most {@code threads} threads (1: on the calling thread only), so that
     * callers can split a product between threads by output rows.
     */
    public static void multiply(PackedMatrix a, int qaFrom, int qaTo, int n, float[] b, int bOff, int ldb, float[] c,
                         int cOff, int ldc, float[] bias, int biasOff, float[] res, int resOff, float lo, float hi,
                         int threads) {
        int m = a.rows();
        int k = a.cols();
        check(m, n, k, b, bOff, ldb, c, cOff, ldc, bias, biasOff, res, resOff);
        if (n == 0) {
            return;
        }
        int nc0 = TileMath.roundUp(TileMath.ceilDiv(n, TileMath.ceilDiv(n, Gemm.NC)), NR);
        int kc0 = a.blockDepth();
        Scratch scratch = SCRATCH.get();
        // Re-entered on this thread (a task it ran while waiting called us): leave its buffer alone.
        boolean nested = scratch.busy;
        float[] bp = nested ? new float[nc0 * kc0] : scratch.b(nc0 * kc0);
        scratch.busy = true;
        try {
            int blocks = a.depthBlocks();
            for (int j0 = 0; j0 < n; j0 += nc0) {
                int nb = Math.min(nc0, n - j0);
                int nPanels = TileMath.ceilDiv(nb, NR);
                for (int blk = 0; blk < blocks; blk++) {
                    int p0 = blk * kc0;
                    int kc = Math.min(kc0, k - p0);
                    int from = j0;
                    if (threads <= 1 || nPanels * NR * kc < 16384) {
                        GemmPacking.packB(false, b, bOff, ldb, p0, kc, from, nb, 0, nPanels, bp);
                    } else {
                        Parallel.forRange(nPanels, Math.max(1, 16384 / (NR * kc)), (q0, q1) ->
                                GemmPacking.packB(false, b, bOff, ldb, p0, kc, from, nb, q0, q1, bp));
                    }
                    Tile tile = new Tile(a, qaFrom, qaTo, blk, kc, nb, nPanels, bp, blk > 0, blk == blocks - 1,
                            c, cOff + j0, ldc, bias, biasOff, res, resOff + j0, lo, hi);
                    tile.run(threads);
                }
            }
        } finally {
            scratch.busy = nested;
        }
    }

    /** One depth block of C's tiles against one packed block of B: what the threads share. */
    private record Tile(PackedMatrix a, int qaFrom, int qaTo, int blk, int kc, int nb, int nPanels, float[] bp,
                        boolean add, boolean last, float[] c, int cOff, int ldc, float[] bias, int biasOff,
                        float[] res, int resOff, float lo, float hi) {

        void run(int threads) {
            int m = a.rows();
            int mPanels = qaTo - qaFrom;
            int mTilePanels = Gemm.MC / MR;
            int mTiles = TileMath.ceilDiv(mPanels, mTilePanels);
            int nTiles = TileMath.columnGroups(threads, mTiles, nPanels);
            int nTilePanels = TileMath.ceilDiv(nPanels, nTiles);
            nTiles = TileMath.ceilDiv(nPanels, nTilePanels);
            int tiles = mTiles * nTiles;
            float[] ap = a.data();
            int aBase = a.blockOffset(blk);
            // A product with a bias but no residual and no clamp (a linear layer, MobileNet's projections) starts its
            // full tiles from the bias (rows of it, per A panel, made once per tile group) in the first depth
            // block, and then needs no epilogue pass: 16 channels from 32 on 112x112, 0.229 -> 0.189 ms. With a
            // residual or a clamp the pass stays, bias included: taking the bias out of that pass as well made
            // MobileNetV2 1.04x slower (in both orders of the comparison).
            boolean clamps = res != null || lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY;
            boolean biasInKernel = bias != null && !clamps;
            IntConsumer body = t -> {
                int qa0 = qaFrom + (t % mTiles) * mTilePanels;
                int qa1 = Math.min(qaTo, qa0 + mTilePanels);
                int qb0 = (t / mTiles) * nTilePanels;
                int qb1 = Math.min(nPanels, qb0 + nTilePanels);
                float[] tmp = null;
                float[] rows = biasInKernel && !add ? biasRows(bias, biasOff, m, qa0, qa1) : null;
                for (int qb = qb0; qb < qb1; qb++) {
                    int j = qb * NR;
                    int nr = Math.min(NR, nb - j);
                    int bIdx = qb * NR * kc;
                    for (int qa = qa0; qa < qa1; qa++) {
                        int i = qa * MR;
                        int mr = Math.min(MR, m - i);
                        int aIdx = aBase + qa * MR * kc;
                        int cIdx = cOff + i * ldc + j;
                        boolean full = mr == MR && nr == NR;
                        if (full && rows != null) {
                            GemmMicroKernel.kernelPlus(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, rows, (qa - qa0) * MR * NR,
                                    NR);
                        } else if (full) {
                            GemmMicroKernel.kernel(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, add);
                        } else {
                            if (tmp == null) {
                                tmp = new float[MR * NR];
                            }
                            GemmMicroKernel.edge(kc, ap, aIdx, bp, bIdx, tmp, mr, nr, c, cIdx, ldc, add);
                        }
                        if (last && !(full && biasInKernel) && (bias != null || clamps)) {
                            epilogue(c, cIdx, ldc, mr, nr, bias, biasOff + i, res, resOff + i * ldc + j, lo, hi);
                        }
                    }
                }
            };
            if (threads <= 1 || tiles == 1) {
                for (int t = 0; t < tiles; t++) {
                    body.accept(t);
                }
            } else {
                Parallel.forEach(tiles, body);
            }
        }
    }

    /**
     * This thread's rows of bias for A panels {@code [qa0, qa1)}: {@code MR×NR} floats per panel, its row {@code r}
     * all {@code bias[biasOff + qa·MR + r]} (zeros past row {@code m}).
     */
    private static float[] biasRows(float[] bias, int biasOff, int m, int qa0, int qa1) {
        float[] rows = BIAS_ROWS.get();
        int size = (qa1 - qa0) * MR * NR;
        if (rows.length < size) {
            rows = new float[size];
            BIAS_ROWS.set(rows);
        }
        for (int qa = qa0, at = 0; qa < qa1; qa++) {
            for (int r = 0; r < MR; r++, at += NR) {
                int i = qa * MR + r;
                FloatVector v = FloatVector.broadcast(SPECIES, i < m ? bias[biasOff + i] : 0f);
                for (int j = 0; j < NR; j += L) {
                    v.intoArray(rows, at + j);
                }
            }
        }
        return rows;
    }

    /**
     * {@code C[r, j] = clamp(C[r, j] + bias[r] + R[r, j], lo, hi)} over an {@code mr×nr} tile whose rows start
     * {@code ldc} floats apart; {@code bias} and {@code res} may be null.
     */
    static void epilogue(float[] c, int cIdx, int ldc, int mr, int nr, float[] bias, int biasIdx,
                         float[] res, int resIdx, float lo, float hi) {
        FloatVector vlo = FloatVector.broadcast(SPECIES, lo);
        FloatVector vhi = FloatVector.broadcast(SPECIES, hi);
        for (int r = 0; r < mr; r++) {
            float bv = bias == null ? 0f : bias[biasIdx + r];
            int row = cIdx + r * ldc;
            int rrow = resIdx + r * ldc;
            int j = 0;
            FloatVector vb = FloatVector.broadcast(SPECIES, bv);
            if (nr == NR) {
                for (; j < NR; j += L) { // a constant trip count: unrolled by the JIT
                    FloatVector v = FloatVector.fromArray(SPECIES, c, row + j).add(vb);
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(SPECIES, res, rrow + j));
                    }
                    v.max(vlo).min(vhi).intoArray(c, row + j);
                }
            } else {
                for (; j + L <= nr; j += L) { // a tile cut by C's edge: its whole vectors, then the rest
                    FloatVector v = FloatVector.fromArray(SPECIES, c, row + j).add(vb);
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(SPECIES, res, rrow + j));
                    }
                    v.max(vlo).min(vhi).intoArray(c, row + j);
                }
            }
            for (; j < nr; j++) {
                float v = c[row + j] + bv;
                if (res != null) {
                    v += res[rrow + j];
                }
                c[row + j] = Math.min(Math.max(v, lo), hi);
            }
        }
    }

    private static void check(int m, int n, int k, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                              float[] bias, int biasOff, float[] res, int resOff) {
        String shape = "packed gemm m=" + m + " n=" + n + " k=" + k;
        if (n < 0 || bOff < 0 || cOff < 0 || resOff < 0 || biasOff < 0) {
            throw new IllegalArgumentException(shape + ": negative size or offset (bOff=" + bOff + ", cOff=" + cOff
                    + ", resOff=" + resOff + ", biasOff=" + biasOff + ")");
        }
        if (n == 0) {
            return;
        }
        if (ldb < n || ldc < n) {
            throw new IllegalArgumentException(shape + ": leading dimensions must be at least n, got ldb=" + ldb
                    + " ldc=" + ldc);
        }
        if (bOff + (long) (k - 1) * ldb + n > b.length) {
            throw new IllegalArgumentException(shape + ": B needs " + (bOff + (long) (k - 1) * ldb + n)
                    + " floats, the array has " + b.length);
        }
        long cEnd = (long) (m - 1) * ldc + n;
        if (cOff + cEnd > c.length || (res != null && resOff + cEnd > res.length)) {
            throw new IllegalArgumentException(shape + ": C (and the residual) need " + cEnd
                    + " floats past their offsets " + cOff + "/" + resOff + ", the arrays have " + c.length
                    + (res == null ? "" : "/" + res.length));
        }
        if (bias != null && biasOff + m > bias.length) {
            throw new IllegalArgumentException(shape + ": bias needs " + (biasOff + m) + " floats, has " + bias.length);
        }
    }

    /** One thread's packed-B buffer, grown to the largest call it has made. */
    private static final class Scratch {
        private float[] b = new float[0];
        private boolean busy;

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
