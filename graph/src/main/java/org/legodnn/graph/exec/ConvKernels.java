package org.legodnn.graph.exec;

import org.legodnn.graph.Attrs;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.tensor.Tensor;

/**
 * Convolution, transposed convolution and BatchNorm for the interpreter, on the engine's backend kernels.
 * ONNX allows what PyTorch's layers do not (asymmetric pads): those inputs are padded explicitly first, or
 * the transposed result is cropped, so that the kernels only ever see symmetric padding.
 */
final class ConvKernels {

    private ConvKernels() {
    }

    static Tensor conv(Tensor x, Tensor w, Tensor b, Attrs.Conv a) {
        int padH = a.padTop();
        int padW = a.padLeft();
        if (!a.symmetricPads()) {
            x = Layout.zeroPad2d(x, a.padTop(), a.padLeft(), a.padBottom(), a.padRight());
            padH = 0;
            padW = 0;
        }
        ConvGeometry g = new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                a.strideH(), a.strideW(), padH, padW, a.dilationH(), a.dilationW(), a.groups());
        float[] y = new float[g.outputSize()];
        Backends.current().conv2d(g, x.data(), w.data(), b == null ? null : b.data(), y);
        return Tensor.of(y, g.n(), g.cout(), g.outH(), g.outW());
    }

    /**
     * The transposed convolution is the input gradient of a convolution. Computed without padding over the
     * full extent (plus output padding), then cropped by the pads.
     */
    static Tensor convTranspose(Tensor x, Tensor w, Tensor b, Attrs.ConvTranspose a) {
        int n = x.dim(0);
        int cout = w.dim(1) * a.groups();
        int kh = w.dim(2);
        int kw = w.dim(3);
        if (a.outPadH() >= Math.max(a.strideH(), a.dilationH()) || a.outPadW() >= Math.max(a.strideW(), a.dilationW())) {
            throw new IllegalArgumentException("conv_transpose: output padding " + a.outPadH() + "x" + a.outPadW()
                    + " must be smaller than the stride or the dilation");
        }
        int fullH = (x.dim(2) - 1) * a.strideH() + a.dilationH() * (kh - 1) + 1 + a.outPadH();
        int fullW = (x.dim(3) - 1) * a.strideW() + a.dilationW() * (kw - 1) + 1 + a.outPadW();
        ConvGeometry g = new ConvGeometry(n, cout, fullH, fullW, w.dim(0), kh, kw, a.strideH(), a.strideW(), 0, 0,
                a.dilationH(), a.dilationW(), a.groups());
        float[] full = new float[g.inputSize()];
        Backends.current().conv2dBackwardInput(g, x.data(), w.data(), full);
        int outH = fullH - a.padTop() - a.padBottom();
        int outW = fullW - a.padLeft() - a.padRight();
        float[] y;
        if (outH == fullH && outW == fullW) {
            y = full;
        } else {
            y = new float[n * cout * outH * outW];
            for (int p = 0; p < n * cout; p++) {
                for (int i = 0; i < outH; i++) {
                    System.arraycopy(full, (p * fullH + i + a.padTop()) * fullW + a.padLeft(), y, (p * outH + i) * outW, outW);
                }
            }
        }
        if (b != null) {
            float[] bias = b.data();
            int hw = outH * outW;
            for (int p = 0; p < n * cout; p++) {
                float v = bias[p % cout];
                for (int i = p * hw; i < (p + 1) * hw; i++) {
                    y[i] += v;
                }
            }
        }
        return Tensor.of(y, n, cout, outH, outW);
    }

    /** Inference BatchNorm over dimension 1 of {@code [N, C, ...]}. */
    static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, float eps) {
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.size() / Math.max(1, n * c);
        Backend backend = Backends.current();
        float[] y = new float[x.size()];
        backend.batchNormEval(n, c, hw, x.data(), gamma.data(), beta.data(), mean.data(), var.data(), eps, y);
        return Tensor.of(y, x.shape());
    }
}
