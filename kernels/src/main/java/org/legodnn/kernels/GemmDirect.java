package org.legodnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The unpacked path of {@link Gemm} for products too small or too thin for packing to pay off (a few
 * rows, fewer columns than a vector, matrix-vector products): it works row by row on C, vectorizing along
 * whichever dimension is contiguous in memory.
 *
 * <p>Two forms: with B untransposed and at least a vector of columns, each row of C is a sum of scaled
 * rows of B ("axpy" form); otherwise each element of C is a dot product of a row of A with a column of
 * B, both made contiguous along {@code k} first ("dot" form).
 */
final class GemmDirect {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private GemmDirect() {
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        float[] aRow = new float[k];
        if (!transB && n >= L) {
            for (int i = 0; i < m; i++) {
                copyRowOfA(transA, a, aOff, lda, i, k, aRow);
                axpyRow(n, k, aRow, b, bOff, ldb, accumulate, c, cOff + i * ldc);
            }
            return;
        }
        // Dot form: make the columns of op(B) contiguous (op(B)ᵀ is n×k) unless they already are.
        float[] bt = b;
        int btOff = bOff;
        int ldbt = ldb;
        if (!transB) {
            bt = new float[n * k];
            btOff = 0;
            ldbt = k;
            for (int p = 0; p < k; p++) {
                int src = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    bt[j * k + p] = b[src + j];
                }
            }
        }
        for (int i = 0; i < m; i++) {
            float[] ar = a;
            int arOff = aOff + i * lda;
            if (transA) {
                copyRowOfA(true, a, aOff, lda, i, k, aRow);
                ar = aRow;
                arOff = 0;
            }
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
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
            java.util.Arrays.fill(c, ci, ci + n, 0f);
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
                c[ci + j] += av * b[bi + j];
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
            s += x[xOff + p] * y[yOff + p];
        }
        return s;
    }
}
