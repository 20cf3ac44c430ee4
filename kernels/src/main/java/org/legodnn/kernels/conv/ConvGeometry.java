package org.legodnn.kernels.conv;

/**
 * Every number a 2-D convolution kernel needs, checked once, so that kernels take one argument instead of
 * fourteen. Layout is NCHW for activations and {@code [cout, cin/groups, kh, kw]} for weights, as PyTorch.
 *
 * <p>A transposed convolution is described by the ordinary convolution whose input gradient it computes:
 * its output is this geometry's input ({@code cin, h, w}) and its input is this geometry's output.
 */
public record ConvGeometry(int n, int cin, int h, int w, int cout, int kh, int kw,
                           int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
                           int groups) {

    public ConvGeometry {
        if (n < 1 || cin < 1 || h < 1 || w < 1 || cout < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("conv2d: sizes must be positive: " + describe(n, cin, h, w, cout, kh, kw));
        }
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride and dilation must be >= 1 and padding >= 0, got stride "
                    + strideH + "x" + strideW + ", padding " + padH + "x" + padW + ", dilation " + dilationH + "x" + dilationW);
        }
        if (groups < 1 || cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException("conv2d: groups=" + groups + " must divide in_channels=" + cin
                    + " and out_channels=" + cout);
        }
        int oh = (h + 2 * padH - dilationH * (kh - 1) - 1) / strideH + 1;
        int ow = (w + 2 * padW - dilationW * (kw - 1) - 1) / strideW + 1;
        if (h + 2 * padH < dilationH * (kh - 1) + 1 || w + 2 * padW < dilationW * (kw - 1) + 1 || oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv2d: kernel " + kh + "x" + kw + " (dilation " + dilationH + "x"
                    + dilationW + ") does not fit input " + h + "x" + w + " with padding " + padH + "x" + padW);
        }
    }

    /** A square convolution: one stride, padding and dilation for both axes. */
    public static ConvGeometry square(int n, int cin, int h, int w, int cout, int k, int stride, int pad,
                                      int dilation, int groups) {
        return new ConvGeometry(n, cin, h, w, cout, k, k, stride, stride, pad, pad, dilation, dilation, groups);
    }

    public int outH() {
        return (h + 2 * padH - dilationH * (kh - 1) - 1) / strideH + 1;
    }

    public int outW() {
        return (w + 2 * padW - dilationW * (kw - 1) - 1) / strideW + 1;
    }

    public int cinPerGroup() {
        return cin / groups;
    }

    public int coutPerGroup() {
        return cout / groups;
    }

    /** Floats in the input {@code [n, cin, h, w]}. */
    public int inputSize() {
        return n * cin * h * w;
    }

    /** Floats in the output {@code [n, cout, outH, outW]}. */
    public int outputSize() {
        return n * cout * outH() * outW();
    }

    /** Floats in the weight {@code [cout, cin/groups, kh, kw]}. */
    public int weightSize() {
        return cout * cinPerGroup() * kh * kw;
    }

    /** Multiply-accumulates of one forward pass, bias excluded. */
    public long macs() {
        return (long) n * cout * outH() * outW() * cinPerGroup() * kh * kw;
    }

    private static String describe(int n, int cin, int h, int w, int cout, int kh, int kw) {
        return "input [" + n + ", " + cin + ", " + h + ", " + w + "], out_channels " + cout + ", kernel " + kh + "x" + kw;
    }

    /**
     * Throws, naming {@code op}, unless {@code x} holds an input of this geometry and {@code y} (and
     * {@code residual}, when not null) an output.
     */
    public void requireBuffers(String op, float[] x, float[] residual, float[] y) {
        requireLength(op, "input", x, inputSize());
        requireLength(op, "output", y, outputSize());
        if (residual != null) {
            requireLength(op, "residual", residual, outputSize());
        }
    }

    private void requireLength(String op, String what, float[] a, int size) {
        if (a == null || a.length < size) {
            throw new IllegalArgumentException(op + ": " + what + " needs " + size + " floats for " + this + ", got "
                    + (a == null ? "null" : a.length));
        }
    }
}
