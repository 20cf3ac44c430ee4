package org.legodnn.kernels.gemm;

import static org.legodnn.kernels.gemm.GemmMicroKernel.L;
import static org.legodnn.kernels.gemm.GemmMicroKernel.MR;
import static org.legodnn.kernels.gemm.GemmMicroKernel.NR;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.legodnn.kernels.Parallel;

/**
 * Single-precision matrix multiply, the workhorse under convolution and linear layers, organized as in
 * GotoBLAS/BLIS so that the arithmetic runs near the FMA peak of a core.
 *
 * <p>The loops, outermost first: up to {@link #MB} rows of A, a depth block of about {@link #KC}
 * ({@code A[:, p0..p0+kc]} is packed once, for all of its rows), up to {@link #NC} columns of B (the
 * {@code kc×nc} block of B is packed once and shared by every thread), then tiles of C of {@link #MC}
 * rows by a group of B panels, handed to the threads of {@link Parallel}. When B fits one block of columns
 * and A has row tiles enough for every thread, the tiles span all of B's panels and each packs its own rows
 * of A just before multiplying them, into the L2 of the core that reads them ({@link #multiplyRowTiles}).
 * Inside a tile, each packed {@code kc×NR} panel of B stays in L1 while the tile's packed rows of A stream
 * from L2 through {@link GemmMicroKernel}. Packing ({@link GemmPacking}) absorbs all four transpose variants
 * and the edges, so the micro-kernel has a single code path. Products too thin for packing to pay off
 * (fewer than four rows, or fewer columns than a vector holds) go to {@link GemmDirect}.
 *
 * <p>The packing buffers belong to the calling thread and grow to the largest call it has made (at most
 * {@code (MB + NC)·KC} floats, about 10 MB, and one row tile of A, {@code MC·KC}), so repeated calls make no
 * large allocations.
 */
public final class Gemm {

    /** Depth of one packed block: a {@code KC×NR} panel of B is at most 256 KB ({@link GemmMicroKernel#depthFor}). */
    static final int KC = GemmMicroKernel.KC;
    /** Rows of C per parallel tile: its packed A ({@code MC×KC}, 256–384 KB) stays in L2. */
    static final int MC = 16 * MR;
    /** Columns of B packed at once: a {@code KC×NC} block of 1M floats (4 MB), shared by all threads. */
    public static final int NC = (1 << 20) / KC;
    /** Rows of A packed at once: a block of at most 1.5M floats (6 MB), for very tall matrices. */
    static final int MB = (3 << 19) / KC / MR * MR;
    /** Below this many multiply-adds, waking other threads costs more than it saves. */
    static final long PARALLEL_MIN = 256 * 1024;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** Each thread's packed rows of A for the row tile it multiplies ({@link #multiplyRowTiles}); only its a(). */
    private static final ThreadLocal<Scratch> TILE_A = ThreadLocal.withInitial(Scratch::new);

    private Gemm() {
    }

    /**
     * {@code C = op(A)·op(B)} (or {@code C += op(A)·op(B)} when {@code accumulate}), row-major as BLAS's
     * {@code cblas_sgemm(RowMajor, ...)} with alpha 1 and beta 0 or 1. {@code op(A)} is {@code m×k}: with
     * {@code transA} it is stored as its {@code k×m} transpose. {@code op(B)} is {@code k×n}: with
     * {@code transB} it is stored as its {@code n×k} transpose. Each operand's rows start {@code ld}
     * floats apart from its offset. With {@code k == 0}, C becomes zero (or is left as is when
     * accumulating). C must not overlap A or B.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        long work = (long) m * n * k;
        // Packing pays off even for tiny squares (24³ runs 5x faster packed), but not for thin shapes, where
        // padding to MR rows or NR columns would waste most of the arithmetic.
        if (m < 4 || n < L) {
            GemmDirect.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
            return;
        }
        packed(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc,
                work < PARALLEL_MIN ? 1 : Parallel.threads());
    }

    private static void packed(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                               int lda, float[] b, int bOff, int ldb, boolean accumulate, float[] c,
                               int cOff, int ldc, int threads) {
        // Even blocks: k = 300 runs as 150 + 150, not 256 + 44.
        int kc0 = TileMath.ceilDiv(k, TileMath.ceilDiv(k, KC));
        int mb0 = TileMath.roundUp(TileMath.ceilDiv(m, TileMath.ceilDiv(m, MB)), MR);
        int nc0 = TileMath.roundUp(TileMath.ceilDiv(n, TileMath.ceilDiv(n, NC)), NR);
        Scratch scratch = SCRATCH.get();
        // Re-entered on this thread (a task it ran while waiting called sgemm): leave its buffers alone.
        boolean nested = scratch.busy;
        // One block of columns and row tiles enough for every thread: each tile's A is packed by the thread that
        // multiplies it, right before, so that it is in that core's L2 rather than written out and read back.
        boolean rowTiles = n <= nc0 && m >= 2 * threads * MC;
        float[] ap = rowTiles ? null : nested ? new float[mb0 * KC] : scratch.a(mb0 * KC);
        float[] bp = nested ? new float[nc0 * kc0] : scratch.b(nc0 * kc0);
        scratch.busy = true;
        try {
            blocks(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, threads,
                    kc0, mb0, nc0, rowTiles, ap, bp);
        } finally {
            scratch.busy = nested;
        }
    }

    private static void blocks(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                               int lda, float[] b, int bOff, int ldb, boolean accumulate, float[] c,
                               int cOff, int ldc, int threads, int kc0, int mb0, int nc0,
                               boolean rowTiles, float[] ap, float[] bp) {
        for (int ib = 0; ib * mb0 < m; ib++) {
            int i0 = ib * mb0;
            int mb = Math.min(mb0, m - i0);
            int mPanels = TileMath.ceilDiv(mb, MR);
            for (int pb = 0; pb * kc0 < k; pb++) {
                int p0 = pb * kc0;
                int kc = Math.min(kc0, k - p0);
                boolean add = accumulate || p0 > 0;
                if (!rowTiles) {
                    forRange(threads, mPanels, Math.max(1, 16384 / (MR * kc)), (q0, q1) ->
                            GemmPacking.packA(transA, a, aOff, lda, i0, mb, p0, kc, q0, q1, ap));
                }
                for (int jb = 0; jb * nc0 < n; jb++) {
                    int j0 = jb * nc0;
                    int nb = Math.min(nc0, n - j0);
                    int nPanels = TileMath.ceilDiv(nb, NR);
                    forRange(threads, nPanels, Math.max(1, 16384 / (NR * kc)), (q0, q1) ->
                            GemmPacking.packB(transB, b, bOff, ldb, p0, kc, j0, nb, q0, q1, bp));
                    int cBlock = cOff + i0 * ldc + j0;
                    if (rowTiles) {
                        multiplyRowTiles(threads, transA, a, aOff, lda, i0, mb, p0, kc, nb, mPanels, nPanels, bp,
                                add, c, cBlock, ldc);
                    } else {
                        multiplyTiles(threads, mb, nb, kc, mPanels, nPanels, ap, bp, add, c, cBlock, ldc);
                    }
                }
            }
        }
    }

    /**
     * {@code C[0..mb, 0..nb] (+)= A · packed B} in row tiles of all {@code nPanels} panels of B, as many tiles as a
     * multiple of the threads (equal shares), each packing its rows of {@code A[i0.., p0..p0+kc]} into its
     * thread's buffer right before it multiplies them. Measured at 1024³ on a Zen 5 core pair (both forms in turns
     * in one JVM): 314 → 328 GFLOP/s at two threads, 174 → 182 at one. Packing B the same way, each panel by the
     * first thread to need it, measured no faster and is not done.
     */
    private static void multiplyRowTiles(int threads, boolean transA, float[] a, int aOff, int lda, int i0, int mb,
                                         int p0, int kc, int nb, int mPanels, int nPanels, float[] bp, boolean add,
                                         float[] c, int cOff, int ldc) {
        int tiles = TileMath.roundUp(TileMath.ceilDiv(mPanels, MC / MR), threads);
        IntConsumer tile = t -> {
            int qa0 = (int) ((long) mPanels * t / tiles);
            int qa1 = (int) ((long) mPanels * (t + 1) / tiles);
            float[] ap = TILE_A.get().a((qa1 - qa0) * MR * kc);
            GemmPacking.packA(transA, a, aOff, lda, i0 + qa0 * MR, mb - qa0 * MR, p0, kc, 0, qa1 - qa0, ap);
            multiplyPanels(qa0, qa1, 0, nPanels, mb, nb, kc, ap, -qa0 * MR * kc, bp, add, c, cOff, ldc);
        };
        if (threads <= 1) {
            for (int t = 0; t < tiles; t++) {
                tile.accept(t);
            }
        } else {
            Parallel.forEach(tiles, tile);
        }
    }

    /** {@code C[0..mb, 0..nb] (+)= packed A · packed B}, in tiles spread over the threads. */
    private static void multiplyTiles(int threads, int mb, int nb, int kc, int mPanels, int nPanels,
                                      float[] ap, float[] bp, boolean add, float[] c, int cOff, int ldc) {
        int mTilePanels = MC / MR;
        int mTiles = TileMath.ceilDiv(mPanels, mTilePanels);
        int nTiles = TileMath.columnGroups(threads, mTiles, nPanels);
        int nTilePanels = TileMath.ceilDiv(nPanels, nTiles);
        nTiles = TileMath.ceilDiv(nPanels, nTilePanels);
        int tiles = mTiles * nTiles;
        IntConsumer tile = t -> {
            int qa0 = (t % mTiles) * mTilePanels;
            int qb0 = (t / mTiles) * nTilePanels;
            multiplyPanels(qa0, Math.min(mPanels, qa0 + mTilePanels), qb0, Math.min(nPanels, qb0 + nTilePanels), mb,
                    nb, kc, ap, 0, bp, add, c, cOff, ldc);
        };
        if (threads <= 1 || tiles == 1) {
            for (int t = 0; t < tiles; t++) {
                tile.accept(t);
            }
        } else {
            Parallel.forEach(tiles, tile);
        }
    }

    /**
     * Panels {@code [qa0, qa1)} of packed A (panel {@code qa} at {@code aBase + qa·MR·kc}) times panels
     * {@code [qb0, qb1)} of packed B into C, each B panel against every A panel while it is in L1/L2.
     */
    private static void multiplyPanels(int qa0, int qa1, int qb0, int qb1, int mb, int nb, int kc, float[] ap,
                                       int aBase, float[] bp, boolean add, float[] c, int cOff, int ldc) {
        float[] tmp = null;
        for (int qb = qb0; qb < qb1; qb++) {
            int j = qb * NR;
            int nr = Math.min(NR, nb - j);
            int bIdx = qb * NR * kc;
            for (int qa = qa0; qa < qa1; qa++) {
                int i = qa * MR;
                int mr = Math.min(MR, mb - i);
                int aIdx = aBase + qa * MR * kc;
                int cIdx = cOff + i * ldc + j;
                if (mr == MR && nr == NR) {
                    GemmMicroKernel.kernel(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, add);
                } else {
                    if (tmp == null) {
                        tmp = new float[MR * NR];
                    }
                    GemmMicroKernel.edge(kc, ap, aIdx, bp, bIdx, tmp, mr, nr, c, cIdx, ldc, add);
                }
            }
        }
    }

    private static void forRange(int threads, int total, int minChunk, Parallel.RangeBody body) {
        if (threads <= 1 || total <= minChunk) {
            body.run(0, total);
        } else {
            Parallel.forRange(total, minChunk, body);
        }
    }

    /** One thread's packing buffers, grown to the largest call it has made. */
    private static final class Scratch {
        private float[] a = new float[0];
        private float[] b = new float[0];
        private boolean busy;

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }

    private static void checkArguments(boolean transA, boolean transB, int m, int n, int k, float[] a,
                                       int aOff, int lda, float[] b, int bOff, int ldb, float[] c,
                                       int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: sizes must be non-negative, got m=" + m + " n=" + n
                    + " k=" + k);
        }
        checkOperand("A", transA ? k : m, transA ? m : k, a, aOff, lda, m, n, k);
        checkOperand("B", transB ? n : k, transB ? k : n, b, bOff, ldb, m, n, k);
        checkOperand("C", m, n, c, cOff, ldc, m, n, k);
    }

    /** An operand stored as {@code rows×cols} row-major with leading dimension {@code ld} from {@code off}. */
    private static void checkOperand(String name, int rows, int cols, float[] x, int off, int ld,
                                     int m, int n, int k) {
        String shape = "sgemm m=" + m + " n=" + n + " k=" + k + ": " + name + " stored as " + rows + "x" + cols;
        if (x == null) {
            throw new IllegalArgumentException(shape + " is null");
        }
        if (rows > 1 && ld < cols) {
            throw new IllegalArgumentException(shape + " needs a leading dimension of at least " + cols
                    + ", got " + ld);
        }
        if (off < 0) {
            throw new IllegalArgumentException(shape + " has a negative offset " + off);
        }
        if (rows > 0 && cols > 0) {
            long last = off + (long) (rows - 1) * ld + cols;
            if (last > x.length) {
                throw new IllegalArgumentException(shape + " with offset " + off + " and leading dimension "
                        + ld + " needs " + last + " floats, the array has " + x.length);
            }
        }
    }
}
