package org.legodnn.kernels.gemm;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.legodnn.kernels.Parallel;

/**
 * The unpacked path of {@link Gemm} for products too thin for packing to pay off (a few rows, fewer
 * columns than a vector holds, matrix-vector products): it works row by row on C, vectorizing along
 * whichever dimension is contiguous in memory.
 *
 * <p>Two forms: with B untransposed and at least a vector of columns, each row of C is a sum of scaled
 * rows of B ("axpy" form); otherwise each element of C is a dot product of a row of A with a column of
 * B, both made contiguous along {@code k} first ("dot" form).
 */
final class GemmDirect {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** Below this many multiply-adds per piece, waking another thread costs more than it saves. */
    private static final long PARALLEL_WORK = 256 * 1024;

    private GemmDirect() {
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        if (!transB && n < L) {
            // Too few columns to vectorize along n: copy op(B)ᵀ (n×k, small) so that its columns are
            // contiguous, and take the dot form.
            float[] bt = new float[n * k];
            for (int p = 0; p < k; p++) {
                int src = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    bt[j * k + p] = b[src + j];
                }
            }
            sgemm(transA, true, m, n, k, a, aOff, lda, bt, 0, k, accumulate, c, cOff, ldc);
            return;
        }
        boolean axpy = !transB;
        // Rows and columns of C are independent: split the longer side over the threads when there is work.
        if (n >= m) {
            int minColumns = (int) Math.min(n, Math.max(L, PARALLEL_WORK / Math.max(1L, (long) m * k)));
            Parallel.forRange(n, minColumns, (j0, j1) -> block(axpy, transA, k, a, aOff, lda, b, bOff, ldb,
                    accumulate, c, cOff, ldc, 0, m, j0, j1));
        } else {
            int minRows = (int) Math.min(m, Math.max(1, PARALLEL_WORK / Math.max(1L, (long) n * k)));
            Parallel.forRange(m, minRows, (i0, i1) -> block(axpy, transA, k, a, aOff, lda, b, bOff, ldb,
                    accumulate, c, cOff, ldc, i0, i1, 0, n));
        }
    }

    private static void block(boolean axpy, boolean transA, int k, float[] a, int aOff, int lda, float[] b,
                              int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc,
                              int i0, int i1, int j0, int j1) {
        if (axpy) {
            axpyColumns(transA, i0, i1, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, j0, j1);
        } else {
            dotColumns(transA, i0, i1, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc, j0, j1);
        }
    }

    /** Rows {@code [i0, i1)}, columns {@code [j0, j1)} of C as sums of scaled rows of B (B untransposed). */
    private static void axpyColumns(boolean transA, int i0, int i1, int k, float[] a, int aOff, int lda, float[] b,
                                    int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc,
                                    int j0, int j1) {
        float[] aRow = new float[k];
        for (int i = i0; i < i1; i++) {
            copyRowOfA(transA, a, aOff, lda, i, k, aRow);
            axpyRow(j1 - j0, k, aRow, b, bOff + j0, ldb, accumulate, c, cOff + i * ldc + j0);
        }
    }

    /** Rows {@code [i0, i1)}, columns {@code [j0, j1)} of C as dot products of rows of A with rows of op(B)ᵀ. */
    private static void dotColumns(boolean transA, int i0, int i1, int k, float[] a, int aOff, int lda, float[] bt,
                                   int btOff, int ldbt, boolean accumulate, float[] c, int cOff, int ldc,
                                   int j0, int j1) {
        float[] aRow = transA ? new float[k] : null;
        for (int i = i0; i < i1; i++) {
            float[] ar = a;
            int arOff = aOff + i * lda;
            if (transA) {
                copyRowOfA(true, a, aOff, lda, i, k, aRow);
                ar = aRow;
                arOff = 0;
            }
            int ci = cOff + i * ldc;
            for (int j = j0; j < j1; j++) {
                float s = dot(k, ar, arOff, bt, btOff + j * ldbt);
                c[ci + j] = accumulate ? c[ci + j] + s : s;
            }
        }
    }

    /** Row {@code i} of op(A) into {@code dst[0..k)}. */
    private static void copyRowOfA(boolean transA, float[] a, int aOff, int lda, int i, int k, float[] dst) {
        if (transA) {
            for (int p = 0; p < k; p++) {
                dst[p] = a[aOff + p * lda + i];
            }
        } else {
            System.arraycopy(a, aOff + i * lda, dst, 0, k);
        }
    }

    /** {@code c[ci .. ci+n) (+)= Σ_p aRow[p] · B(p, :)} with B untransposed. */
    private static void axpyRow(int n, int k, float[] aRow, float[] b, int bOff, int ldb,
                                boolean accumulate, float[] c, int ci) {
        if (!accumulate) {
            Arrays.fill(c, ci, ci + n, 0f);
        }
        int vecEnd = n - n % L;
        for (int p = 0; p < k; p++) {
            float av = aRow[p];
            int bi = bOff + p * ldb;
            FloatVector va = FloatVector.broadcast(SPECIES, av);
            int j = 0;
            for (; j < vecEnd; j += L) {
                FloatVector vc = FloatVector.fromArray(SPECIES, c, ci + j);
                va.fma(FloatVector.fromArray(SPECIES, b, bi + j), vc).intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                c[ci + j] = Math.fma(av, b[bi + j], c[ci + j]);
            }
        }
    }

    /** {@code Σ_p x[xOff + p] · y[yOff + p]} for {@code p < k}. */
    private static float dot(int k, float[] x, int xOff, float[] y, int yOff) {
        int vecEnd = k - k % L;
        FloatVector acc = FloatVector.zero(SPECIES);
        int p = 0;
        for (; p < vecEnd; p += L) {
            acc = FloatVector.fromArray(SPECIES, x, xOff + p).fma(FloatVector.fromArray(SPECIES, y, yOff + p), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            s = Math.fma(x[xOff + p], y[yOff + p], s);
        }
        return s;
    }
}
