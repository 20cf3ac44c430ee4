package org.legodnn.kernels.opencl;

import org.legodnn.kernels.pool.PoolGeometry;

/**
 * Everything a pooling kernel needs, in ONNX's generality (pads may differ per side, windows may be dilated,
 * the output size is given): what the OpenCL pooling kernels take. {@link #of(PoolGeometry)} converts the
 * CPU kernels' PyTorch-style geometry.
 */
public record Pool2dShape(int n, int c, int h, int w, int outH, int outW, int kh, int kw, int strideH, int strideW,
                          int padTop, int padLeft, int padBottom, int padRight, int dilationH, int dilationW) {

    public Pool2dShape {
        if (n < 1 || c < 1 || h < 1 || w < 1 || outH < 1 || outW < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1
                || dilationH < 1 || dilationW < 1 || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("pool2d: invalid shape " + this);
        }
    }

    /** The same pooling as the CPU kernels' geometry (symmetric padding, no dilation). */
    public static Pool2dShape of(PoolGeometry g) {
        return new Pool2dShape(g.n(), g.c(), g.h(), g.w(), g.outH(), g.outW(), g.kh(), g.kw(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.padH(), g.padW(), 1, 1);
    }

    public long inputSize() {
        return (long) n * c * h * w;
    }

    public long outputSize() {
        return (long) n * c * outH * outW;
    }
}
