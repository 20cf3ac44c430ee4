package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.Workspace;

/**
 * 2-D convolution, PyTorch's {@code F.conv2d}: the layer that does nearly all the work of a CNN. Forward
 * and both gradients are backend kernels; the bias gradient is the per-channel sum of {@code gy}.
 */
public final class Conv2dOp {

    private Conv2dOp() {
    }

    public static Tensor apply(Tensor x, Tensor w, Tensor b, int strideH, int strideW, int padH, int padW,
                               int dilationH, int dilationW, int groups) {
        ConvGeometry g = geometry(x, w, b, strideH, strideW, padH, padW, dilationH, dilationW, groups);
        Backend backend = Backends.current();
        float[] y = Workspace.array(g.outputSize());
        backend.conv2d(g, x.data(), w.data(), b == null ? null : b.data(), y);
        int[] shape = {g.n(), g.cout(), g.outH(), g.outW()};
        return Tensor.result("conv2d", y, shape, gy -> {
            if (x.requiresGrad()) {
                float[] gx = Workspace.array(g.inputSize());
                backend.conv2dBackwardInput(g, gy, w.data(), gx);
                Grad.accumulate(backend, x, gx);
            }
            if (w.requiresGrad()) {
                float[] gw = new float[g.weightSize()];
                backend.conv2dBackwardWeight(g, x.data(), gy, gw);
                Grad.accumulate(backend, w, gw);
            }
            if (b != null && b.requiresGrad()) {
                float[] gb = new float[g.cout()];
                backend.biasBackward(g.n(), g.cout(), g.outH() * g.outW(), gy, gb);
                Grad.accumulate(backend, b, gb);
            }
        }, x, w, b);
    }

    /** Checks the operands against each other and describes the convolution. */
    static ConvGeometry geometry(Tensor x, Tensor w, Tensor b, int strideH, int strideW, int padH, int padW,
                                 int dilationH, int dilationW, int groups) {
        Shapes.requireRank("conv2d", "input", x, 4);
        Shapes.requireRank("conv2d", "weight", w, 4);
        if (groups < 1 || w.dim(0) % groups != 0) {
            throw new IllegalArgumentException("conv2d: groups " + groups + " must divide the "
                    + w.dim(0) + " output channels of weight " + Shapes.format(w.shape()));
        }
        if (x.dim(1) != w.dim(1) * groups) {
            throw new IllegalArgumentException("conv2d: input " + Shapes.format(x.shape()) + " has " + x.dim(1)
                    + " channels, weight " + Shapes.format(w.shape()) + " expects " + w.dim(1) * groups
                    + " (groups " + groups + ")");
        }
        if (b != null && !b.sameShape(w.dim(0))) {
            throw new IllegalArgumentException("conv2d: bias " + Shapes.format(b.shape()) + " must be [" + w.dim(0)
                    + "] for weight " + Shapes.format(w.shape()));
        }
        return new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                strideH, strideW, padH, padW, dilationH, dilationW, groups);
    }
}
