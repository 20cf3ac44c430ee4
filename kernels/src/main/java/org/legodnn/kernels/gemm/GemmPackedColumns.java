package org.legodnn.kernels.gemm;

import static org.legodnn.kernels.gemm.GemmMicroKernel.KC;
import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;
import static org.legodnn.kernels.gemm.GemmMicroKernel.NR;

import java.util.function.IntConsumer;
import org.legodnn.kernels.Parallel;

/**
 * The convolution product the other way round: output positions × weights ({@code Xᵀ·Wᵀ}) instead of
 * weights × positions, for layers with few output positions (ResNet's 14×14 and 7×7 stages, MobileNet's
 * 1x1 convolutions there), whose position count is a poor multiple of the micro-kernel's long side
 * {@code NR} (49 positions run as 64 in {@link GemmPacked}) but a fair one of its short side {@code MR}
 * (49 as 54). The weights come packed once ({@link PackedColumns}); the positions are packed per call.
 *
 * <p>The micro-kernel then produces position-major tiles, which accumulate over the depth blocks in a
 * per-thread buffer; after the last block, each tile is written channel-major into the output (NCHW) with
 * the epilogue (bias per channel, residual, clamp), while it is still in L1.
 */
public final class GemmPackedColumns {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private GemmPackedColumns() {
    }

    /**
     * {@code y[j·ldy + i] = clamp(Σ_p X[p, i]·W[j, p] + bias[j] + R[j·ldy + i], lo, hi)} for positions
     * {@code i < m} and channels {@code j < n}: X is {@code k×m} row-major at {@code x[xOff]} with leading
     * dimension {@code ldx} (a column matrix, or a 1x1 convolution's input planes), W is packed, and R
     * ({@code res} at {@code resOff}, may be null) and {@code y} (at {@code yOff}) share the layout.
     */
    public static void multiply(int m, float[] x, int xOff, int ldx, PackedColumns w, float[] y, int yOff, int ldy,
                         float[] bias, int biasOff, float[] res, int resOff, float lo, float hi, int threads) {
        multiply(m, x, xOff, ldx, w, 0, w.panels(), y, yOff, ldy, bias, biasOff, res, resOff, lo, hi, threads);
    }

    /**
     * {@link #multiply} for the channels of W's panels {@code [qbFrom, qbTo)} only (channels {@code qbFrom·NR}
     * up to {@code min(n, qbTo·NR)}), so that callers can split a product between threads by channels.
     */
    public static void multiply(int m, float[] x, int xOff, int ldx, PackedColumns w, int qbFrom, int qbTo, float[] y,
                         int yOff, int ldy, float[] bias, int biasOff, float[] res, int resOff, float lo, float hi,
                         int threads) {
        int k = w.depth();
        int mb0 = TileMath.roundUp(TileMath.ceilDiv(m, TileMath.ceilDiv(m, Gemm.MB)), MR);
        int ldct = w.panels() * NR;
        Scratch scratch = SCRATCH.get();
        boolean nested = scratch.busy;
        float[] ap = nested ? new float[mb0 * KC] : scratch.a(mb0 * KC);
        float[] ct = nested ? new float[mb0 * ldct] : scratch.c(mb0 * ldct);
        scratch.busy = true;
        try {
            int blocks = w.depthBlocks();
            int kc0 = w.blockDepth();
            for (int i0 = 0; i0 < m; i0 += mb0) {
                int mb = Math.min(mb0, m - i0);
                int mPanels = TileMath.ceilDiv(mb, MR);
                int row0 = i0;
                for (int blk = 0; blk < blocks; blk++) {
                    int p0 = blk * kc0;
                    int kc = Math.min(kc0, k - p0);
                    if (threads <= 1 || mPanels * MR * kc < 16384) {
                        GemmPacking.packA(true, x, xOff, ldx, row0, mb, p0, kc, 0, mPanels, ap);
                    } else {
                        Parallel.forRange(mPanels, Math.max(1, 16384 / (MR * kc)), (q0, q1) ->
                                GemmPacking.packA(true, x, xOff, ldx, row0, mb, p0, kc, q0, q1, ap));
                    }
                    new Tiles(w, qbFrom, qbTo, blk, kc, mb, mPanels, ap, ct, ldct, blk > 0, blk == blocks - 1,
                            y, yOff + i0, ldy, bias, biasOff, res, resOff + i0, lo, hi).run(threads);
                }
            }
        } finally {
            scratch.busy = nested;
        }
    }

    /** One depth block of the position tiles against the packed weights: what the threads share. */
    private record Tiles(PackedColumns w, int qbFrom, int qbTo, int blk, int kc, int mb, int mPanels, float[] ap,
                         float[] ct, int ldct, boolean add, boolean last, float[] y, int yOff, int ldy, float[] bias,
                         int biasOff, float[] res, int resOff, float lo, float hi) {

        void run(int threads) {
            int n = w.cols();
            int nPanels = qbTo - qbFrom;
            int mTilePanels = Gemm.MC / MR;
            int mTiles = TileMath.ceilDiv(mPanels, mTilePanels);
            int nTiles = TileMath.columnGroups(threads, mTiles, nPanels);
            int nTilePanels = TileMath.ceilDiv(nPanels, nTiles);
            nTiles = TileMath.ceilDiv(nPanels, nTilePanels);
            int tiles = mTiles * nTiles;
            float[] bp = w.data();
            int bBase = w.blockOffset(blk);
            IntConsumer body = t -> {
                int qa0 = (t % mTiles) * mTilePanels;
                int qa1 = Math.min(mPanels, qa0 + mTilePanels);
                int qb0 = qbFrom + (t / mTiles) * nTilePanels;
                int qb1 = Math.min(qbTo, qb0 + nTilePanels);
                for (int qb = qb0; qb < qb1; qb++) {
                    int j = qb * NR;
                    int bIdx = bBase + qb * NR * kc;
                    for (int qa = qa0; qa < qa1; qa++) {
                        int i = qa * MR;
                        int cIdx = i * ldct + j;
                        // The buffer is padded to whole tiles (zero rows of A, zero columns of B): no edge case.
                        GemmMicroKernel.kernel(kc, ap, qa * MR * kc, bp, bIdx, ct, cIdx, ldct, add);
                        if (last) {
                            epilogue(ct, cIdx, ldct, Math.min(MR, mb - i), Math.min(NR, n - j), y,
                                    yOff + j * ldy + i, ldy, bias, biasOff + j, res, resOff + j * ldy + i, lo, hi);
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
     * Writes the position-major tile {@code ct} ({@code mr} positions × {@code nr} channels, rows
     * {@code ldct} apart) channel-major into {@code y}: {@code y[yIdx + j·ldy + r] = clamp(ct[r, j] + bias[j]
     * + res[resIdx + j·ldy + r], lo, hi)}.
     */
    private static void epilogue(float[] ct, int cIdx, int ldct, int mr, int nr, float[] y, int yIdx, int ldy,
                                 float[] bias, int biasIdx, float[] res, int resIdx, float lo, float hi) {
        for (int j = 0; j < nr; j++) {
            float bv = bias == null ? 0f : bias[biasIdx + j];
            int dst = yIdx + j * ldy;
            int src = cIdx + j;
            if (res == null) {
                for (int r = 0; r < mr; r++) {
                    y[dst + r] = Math.min(Math.max(ct[src + r * ldct] + bv, lo), hi);
                }
            } else {
                int rr = resIdx + j * ldy;
                for (int r = 0; r < mr; r++) {
                    y[dst + r] = Math.min(Math.max(ct[src + r * ldct] + bv + res[rr + r], lo), hi);
                }
            }
        }
    }

    /** One thread's buffers: packed positions and the position-major product. */
    private static final class Scratch {
        private float[] a = new float[0];
        private float[] c = new float[0];
        private boolean busy;

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] c(int size) {
            if (c.length < size) {
                c = new float[size];
            }
            return c;
        }
    }
}
