package org.legodnn.kernels.reference;

import org.legodnn.kernels.conv.ConvGeometry;

/**
 * The definition of the fused inference convolution that {@link org.legodnn.kernels.PackedConv} and
 * {@link org.legodnn.kernels.GemmPacked} compute, as plain loops: the convolution (or matrix product) with
 * its bias, then the residual, then the clamp, one op after the other, as the unfused graph runs them.
 */
public final class PackedConvReference {

    private PackedConvReference() {
    }

    /** {@code y = clamp(conv2d(x, w) + bias + residual, lo, hi)}; {@code bias} and {@code residual} may be null. */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] residual, float lo,
                               float hi, float[] y) {
        ConvReference.forward(g, x, w, bias, y);
        epilogue(y, 0, g.outputSize(), residual, lo, hi);
    }

    /**
     * {@code C = clamp(A·B + bias + R, lo, hi)} with A {@code m×k} (leading dimension {@code lda}), B
     * {@code k×n}, C and R {@code m×n} sharing the leading dimension {@code ldc}; bias per row, may be null.
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, float[] bias, int biasOff, float[] res, int resOff,
                            float lo, float hi) {
        GemmReference.sgemm(false, false, m, n, k, a, aOff, lda, b, bOff, ldb, false, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                float v = c[ci] + (bias == null ? 0f : bias[biasOff + i]);
                if (res != null) {
                    v += res[resOff + i * ldc + j];
                }
                c[ci] = Math.min(Math.max(v, lo), hi);
            }
        }
    }

    private static void epilogue(float[] y, int from, int to, float[] residual, float lo, float hi) {
        for (int i = from; i < to; i++) {
            float v = residual == null ? y[i] : y[i] + residual[i];
            y[i] = Math.min(Math.max(v, lo), hi);
        }
    }
}
