package org.legodnn.kernels.reference;

/**
 * The plain triple-loop matrix multiply that the fast {@link org.legodnn.kernels.Gemm} is checked against:
 * obviously correct, with the same row-major BLAS-style arguments.
 */
public final class GemmReference {

    private GemmReference() {
    }

    /**
     * {@code C = op(A)·op(B)} (or {@code C += ...} when {@code accumulate}), where {@code op(A)} is
     * {@code m×k} and {@code op(B)} is {@code k×n}. A transposed operand is stored as its transpose,
     * row-major with its own leading dimension. Sums in double so the reference is the more accurate side.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             boolean accumulate, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += (double) av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? (float) (c[ci] + sum) : (float) sum;
            }
        }
    }
}
