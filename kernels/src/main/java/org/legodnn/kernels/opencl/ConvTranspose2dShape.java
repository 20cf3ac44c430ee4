package org.legodnn.kernels.opencl;

/**
 * Everything the OpenCL transposed-convolution kernel needs, in ONNX's generality: the output size is given, and
 * the output starts {@code padTop} rows and {@code padLeft} columns into the full result
 * {@code (h − 1)·stride + dilation·(k − 1) + 1}, so any pads (also unequal ones) and output padding are
 * expressed by {@code padTop}, {@code padLeft}, {@code outH} and {@code outW}. Weights are PyTorch's
 * {@code [cin, cout/groups, kh, kw]}.
 */
public record ConvTranspose2dShape(int n, int cin, int h, int w, int cout, int outH, int outW, int kh, int kw,
                                   int strideH, int strideW, int padTop, int padLeft, int dilationH, int dilationW,
                                   int groups) {

    public ConvTranspose2dShape {
        if (n < 1 || cin < 1 || h < 1 || w < 1 || cout < 1 || outH < 1 || outW < 1 || kh < 1 || kw < 1 || strideH < 1
                || strideW < 1 || dilationH < 1 || dilationW < 1 || padTop < 0 || padLeft < 0 || groups < 1
                || cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException("conv_transpose2d: invalid shape " + this + " (expected positive sizes,"
                    + " pads >= 0, channels divisible by groups)");
        }
    }

    public long inputSize() {
        return (long) n * cin * h * w;
    }

    public long weightSize() {
        return (long) cin * (cout / groups) * kh * kw;
    }

    public long outputSize() {
        return (long) n * cout * outH * outW;
    }
}
