package org.legodnn.kernels.pool;

/**
 * Every number a 2-D pooling kernel needs, with PyTorch's output-size rule (including {@code ceil_mode},
 * where the last window must start inside the input or the left padding).
 */
public record PoolGeometry(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW,
                           int padH, int padW, boolean ceilMode) {

    public PoolGeometry {
        if (n < 1 || c < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("pool2d: sizes and strides must be positive, got input [" + n + ", " + c
                    + ", " + h + ", " + w + "], kernel " + kh + "x" + kw + ", stride " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0 || padH * 2 > kh || padW * 2 > kw) {
            throw new IllegalArgumentException("pool2d: padding " + padH + "x" + padW
                    + " must be at most half the kernel " + kh + "x" + kw);
        }
        if (outSize(h, kh, strideH, padH, ceilMode) < 1 || outSize(w, kw, strideW, padW, ceilMode) < 1) {
            throw new IllegalArgumentException("pool2d: kernel " + kh + "x" + kw + " does not fit input " + h + "x" + w);
        }
    }

    /** A square window with one stride and padding for both axes. */
    public static PoolGeometry square(int n, int c, int h, int w, int k, int stride, int pad, boolean ceilMode) {
        return new PoolGeometry(n, c, h, w, k, k, stride, stride, pad, pad, ceilMode);
    }

    public int outH() {
        return outSize(h, kh, strideH, padH, ceilMode);
    }

    public int outW() {
        return outSize(w, kw, strideW, padW, ceilMode);
    }

    public int inputSize() {
        return n * c * h * w;
    }

    public int outputSize() {
        return n * c * outH() * outW();
    }

    /** PyTorch's {@code pooling_output_shape}. */
    static int outSize(int in, int k, int stride, int pad, boolean ceil) {
        int span = in + 2 * pad - k;
        if (span < 0) {
            return 0;
        }
        int out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }
}
