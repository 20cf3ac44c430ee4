package org.legodnn.kernels.conv;

import org.legodnn.kernels.Parallel;

/**
 * Transposed 2-D convolution (PyTorch's {@code ConvTranspose2d}), which is exactly the input gradient of an
 * ordinary convolution; so it needs no kernels of its own, only the bookkeeping that maps its numbers onto
 * {@link ConvKernel}.
 *
 * <p>A transposed convolution with input {@code [n, cin, h, w]}, weight {@code [cin, cout/groups, kh, kw]},
 * stride {@code s}, padding {@code p}, output padding {@code op} and dilation {@code d} has output
 * {@code [n, cout, (h−1)s − 2p + d(k−1) + op + 1, ...]}. It is described by the {@link ConvGeometry} of the
 * convolution that maps its output back to its input ({@link #geometry}): that convolution's input is the
 * transposed one's output and vice versa, and its weight {@code [cin, cout/groups, kh, kw]} is the very
 * same array.
 */
public final class ConvTransposeKernel {

    private ConvTransposeKernel() {
    }

    /**
     * The geometry of the ordinary convolution whose input gradient is this transposed convolution.
     * {@code cin}, {@code h}, {@code w} and {@code cout} are the transposed convolution's own input channels,
     * input size and output channels. Output padding must be smaller than the stride (PyTorch also allows
     * it below the dilation instead; that case is not supported).
     */
    public static ConvGeometry geometry(int n, int cin, int h, int w, int cout, int kh, int kw,
                                        int strideH, int strideW, int padH, int padW,
                                        int outputPaddingH, int outputPaddingW,
                                        int dilationH, int dilationW, int groups) {
        if (n < 1 || cin < 1 || h < 1 || w < 1 || cout < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("conv_transpose2d: sizes must be positive: input [" + n + ", " + cin
                    + ", " + h + ", " + w + "], out_channels " + cout + ", kernel " + kh + "x" + kw);
        }
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv_transpose2d: stride and dilation must be >= 1 and padding >= 0,"
                    + " got stride " + strideH + "x" + strideW + ", padding " + padH + "x" + padW
                    + ", dilation " + dilationH + "x" + dilationW);
        }
        if (outputPaddingH < 0 || outputPaddingW < 0 || outputPaddingH >= strideH || outputPaddingW >= strideW) {
            throw new IllegalArgumentException("conv_transpose2d: output padding " + outputPaddingH + "x"
                    + outputPaddingW + " must be >= 0 and smaller than the stride " + strideH + "x" + strideW);
        }
        long outH = (long) (h - 1) * strideH - 2L * padH + (long) dilationH * (kh - 1) + outputPaddingH + 1;
        long outW = (long) (w - 1) * strideW - 2L * padW + (long) dilationW * (kw - 1) + outputPaddingW + 1;
        if (outH < 1 || outW < 1 || outH > Integer.MAX_VALUE || outW > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("conv_transpose2d: input " + h + "x" + w + " with kernel " + kh + "x"
                    + kw + ", stride " + strideH + "x" + strideW + ", padding " + padH + "x" + padW
                    + " gives output " + outH + "x" + outW + ", expected a positive size");
        }
        if (groups < 1 || cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException("conv_transpose2d: groups=" + groups + " must divide in_channels="
                    + cin + " and out_channels=" + cout);
        }
        return new ConvGeometry(n, cout, (int) outH, (int) outW, cin, kh, kw, strideH, strideW, padH, padW,
                dilationH, dilationW, groups);
    }

    /** {@link #geometry} with one stride, padding, output padding and dilation for both axes. */
    public static ConvGeometry geometry(int n, int cin, int h, int w, int cout, int k, int stride, int pad,
                                        int outputPadding, int dilation, int groups) {
        return geometry(n, cin, h, w, cout, k, k, stride, stride, pad, pad, outputPadding, outputPadding,
                dilation, dilation, groups);
    }

    /**
     * {@code y = conv_transpose2d(x, w) + bias}: {@code x} is {@code [n, g.cout(), g.outH(), g.outW()]},
     * {@code y} is {@code [n, g.cin(), g.h(), g.w()]}, {@code bias} ({@code [g.cin()]}) may be null.
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        if (bias != null && bias.length < g.cin()) {
            throw new IllegalArgumentException("conv_transpose2d: bias needs " + g.cin() + " floats for " + g
                    + ", got " + bias.length);
        }
        ConvKernel.backwardInput(g, x, w, y);
        if (bias != null) {
            int c = g.cin(), hw = g.h() * g.w();
            Parallel.forRange(g.n() * c, Math.max(1, (1 << 15) / hw), (from, to) -> {
                for (int p = from; p < to; p++) {
                    float b = bias[p % c];
                    for (int i = p * hw, end = i + hw; i < end; i++) {
                        y[i] += b;
                    }
                }
            });
        }
    }

    /** The gradient of the transposed convolution's input: an ordinary convolution of {@code gy}. */
    public static void backwardInput(ConvGeometry g, float[] gy, float[] w, float[] gx) {
        ConvKernel.forward(g, gy, w, null, gx);
    }

    /** The gradient of the weight {@code [g.cout(), g.cin()/groups, kh, kw]}, overwritten. */
    public static void backwardWeight(ConvGeometry g, float[] x, float[] gy, float[] gw) {
        ConvKernel.backwardWeight(g, gy, x, gw);
    }

    /** The gradient of the bias, one value per output channel ({@code g.cin()}), overwritten. */
    public static void backwardBias(ConvGeometry g, float[] gy, float[] gb) {
        ConvKernel.backwardBias(g.n(), g.cin(), g.h() * g.w(), gy, gb);
    }
}
