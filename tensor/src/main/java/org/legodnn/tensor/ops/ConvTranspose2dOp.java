package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Transposed convolution, PyTorch's {@code F.conv_transpose2d}, for learned upsampling. It is the input
 * gradient of an ordinary convolution, so it reuses the convolution kernels with roles swapped: forward =
 * {@code conv2dBackwardInput}, input gradient = {@code conv2d}, weight gradient = {@code conv2dBackwardWeight}
 * with the upstream gradient as the convolution's input. See {@link ConvGeometry}.
 */
public final class ConvTranspose2dOp {

    private ConvTranspose2dOp() {
    }

    /** {@code w} is {@code [Cin, Cout/groups, kh, kw]}; {@code b} ({@code [Cout]}) may be null. */
    public static Tensor apply(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding,
                               int dilation, int groups) {
        ConvGeometry g = geometry(x, w, b, stride, padding, outputPadding, dilation, groups);
        Backend backend = Backends.current();
        int hw = g.h() * g.w();
        float[] y = new float[g.inputSize()];
        backend.conv2dBackwardInput(g, x.data(), w.data(), y);
        if (b != null) {
            addBias(g.n(), g.cin(), hw, b.data(), y);
        }
        int[] shape = {g.n(), g.cin(), g.h(), g.w()};
        return Tensor.result("conv_transpose2d", y, shape, gy -> {
            if (x.requiresGrad()) {
                float[] gx = new float[g.outputSize()];
                backend.conv2d(g, gy, w.data(), null, gx);
                Grad.accumulate(backend, x, gx);
            }
            if (w.requiresGrad()) {
                float[] gw = new float[g.weightSize()];
                backend.conv2dBackwardWeight(g, gy, x.data(), gw);
                Grad.accumulate(backend, w, gw);
            }
            if (b != null && b.requiresGrad()) {
                float[] gb = new float[g.cin()];
                backend.biasBackward(g.n(), g.cin(), hw, gy, gb);
                Grad.accumulate(backend, b, gb);
            }
        }, x, w, b);
    }

    /** The ordinary convolution from this op's output back to its input. */
    private static ConvGeometry geometry(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding,
                                         int dilation, int groups) {
        Shapes.requireRank("conv_transpose2d", "input", x, 4);
        Shapes.requireRank("conv_transpose2d", "weight", w, 4);
        if (groups < 1 || x.dim(1) != w.dim(0) || w.dim(0) % groups != 0) {
            throw new IllegalArgumentException("conv_transpose2d: input " + Shapes.format(x.shape()) + " has " + x.dim(1)
                    + " channels, weight " + Shapes.format(w.shape()) + " ([Cin, Cout/groups, kh, kw]) expects "
                    + w.dim(0) + ", divisible by groups " + groups);
        }
        int cout = w.dim(1) * groups;
        if (b != null && !b.sameShape(cout)) {
            throw new IllegalArgumentException("conv_transpose2d: bias " + Shapes.format(b.shape()) + " must be ["
                    + cout + "] for weight " + Shapes.format(w.shape()) + " and groups " + groups);
        }
        if (outputPadding < 0 || (outputPadding >= stride && outputPadding >= dilation)) {
            throw new IllegalArgumentException("conv_transpose2d: output_padding " + outputPadding
                    + " must be smaller than the stride " + stride + " or the dilation " + dilation);
        }
        int outH = (x.dim(2) - 1) * stride - 2 * padding + dilation * (w.dim(2) - 1) + outputPadding + 1;
        int outW = (x.dim(3) - 1) * stride - 2 * padding + dilation * (w.dim(3) - 1) + outputPadding + 1;
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("conv_transpose2d: input " + Shapes.format(x.shape()) + " with weight "
                    + Shapes.format(w.shape()) + ", stride " + stride + ", padding " + padding
                    + " gives an empty output " + outH + "x" + outW);
        }
        ConvGeometry g = new ConvGeometry(x.dim(0), cout, outH, outW, w.dim(0), w.dim(2), w.dim(3), stride, stride,
                padding, padding, dilation, dilation, groups);
        if (g.outH() != x.dim(2) || g.outW() != x.dim(3)) {
            throw new IllegalStateException("conv_transpose2d: geometry " + g + " does not map back to input "
                    + Shapes.format(x.shape()));
        }
        return g;
    }

    private static void addBias(int n, int c, int hw, float[] bias, float[] y) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int off = (i * c + ch) * hw;
                for (int p = 0; p < hw; p++) {
                    y[off + p] += bias[ch];
                }
            }
        }
    }
}
