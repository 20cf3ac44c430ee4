package org.legodnn.graph.exec;

import org.legodnn.graph.Attrs;
import org.legodnn.graph.ShapeInference;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.pool.PoolGeometry;
import org.legodnn.tensor.Tensor;

/**
 * Max and average pooling for the interpreter. What PyTorch's layers can express (symmetric padding of at
 * most half the window, no dilation) goes to the backend's kernels; ONNX's extra freedom (asymmetric pads,
 * dilation) goes to plain loops written from the same definitions (PyTorch's ceil-mode and divisor rules).
 */
final class Pooling {

    private Pooling() {
    }

    static Tensor maxPool(Tensor x, Attrs.Pool a) {
        if (kernelCanDo(a)) {
            PoolGeometry g = geometry(x, a);
            float[] y = new float[g.outputSize()];
            Backends.current().maxPool2d(g, x.data(), y, null);
            return Tensor.of(y, g.n(), g.c(), g.outH(), g.outW());
        }
        return loops(x, a, true);
    }

    static Tensor avgPool(Tensor x, Attrs.Pool a) {
        if (kernelCanDo(a)) {
            PoolGeometry g = geometry(x, a);
            float[] y = new float[g.outputSize()];
            Backends.current().avgPool2d(g, a.countIncludePad(), x.data(), y);
            return Tensor.of(y, g.n(), g.c(), g.outH(), g.outW());
        }
        return loops(x, a, false);
    }

    private static boolean kernelCanDo(Attrs.Pool a) {
        return a.symmetricPads() && a.dilationH() == 1 && a.dilationW() == 1
                && 2 * a.padTop() <= a.kernelH() && 2 * a.padLeft() <= a.kernelW();
    }

    private static PoolGeometry geometry(Tensor x, Attrs.Pool a) {
        return new PoolGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), a.kernelH(), a.kernelW(), a.strideH(),
                a.strideW(), a.padTop(), a.padLeft(), a.ceilMode());
    }

    /** The definition, one output at a time. */
    static Tensor loops(Tensor x, Attrs.Pool a, boolean max) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = ShapeInference.poolOut(h, a.kernelH(), a.strideH(), a.padTop(), a.padBottom(), a.dilationH(), a.ceilMode());
        int ow = ShapeInference.poolOut(w, a.kernelW(), a.strideW(), a.padLeft(), a.padRight(), a.dilationW(), a.ceilMode());
        float[] src = x.data();
        float[] y = new float[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    double sum = 0;
                    int real = 0;
                    int rows = 0;
                    int cols = 0;
                    for (int ki = 0; ki < a.kernelH(); ki++) {
                        int ih = i * a.strideH() - a.padTop() + ki * a.dilationH();
                        if (ih < h + a.padBottom()) {
                            rows++;
                        }
                    }
                    for (int kj = 0; kj < a.kernelW(); kj++) {
                        int iw = j * a.strideW() - a.padLeft() + kj * a.dilationW();
                        if (iw < w + a.padRight()) {
                            cols++;
                        }
                    }
                    for (int ki = 0; ki < a.kernelH(); ki++) {
                        int ih = i * a.strideH() - a.padTop() + ki * a.dilationH();
                        if (ih < 0 || ih >= h) {
                            continue;
                        }
                        for (int kj = 0; kj < a.kernelW(); kj++) {
                            int iw = j * a.strideW() - a.padLeft() + kj * a.dilationW();
                            if (iw < 0 || iw >= w) {
                                continue;
                            }
                            float v = src[(p * h + ih) * w + iw];
                            if (v > best || Float.isNaN(v)) {
                                best = v;
                            }
                            sum += v;
                            real++;
                        }
                    }
                    int o = (p * oh + i) * ow + j;
                    if (max) {
                        y[o] = best;
                    } else {
                        int divisor = a.countIncludePad() ? rows * cols : real;
                        y[o] = (float) (sum / Math.max(1, divisor));
                    }
                }
            }
        }
        return Tensor.of(y, n, c, oh, ow);
    }
}
