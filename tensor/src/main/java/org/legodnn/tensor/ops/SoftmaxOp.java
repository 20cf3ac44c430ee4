package org.legodnn.tensor.ops;

import java.util.Arrays;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Softmax along one axis: class scores to probabilities, stable by subtracting each row's max. Along the last
 * axis for a classifier, along channels (axis 1 of NCHW) for a segmentation or detection head, where a "row"
 * is the values of one pixel, {@code inner} apart in memory.
 */
public final class SoftmaxOp {

    private SoftmaxOp() {
    }

    /** Along the last axis. */
    public static Tensor apply(Tensor x) {
        return apply(x, -1);
    }

    /** Along {@code axis}; negative counts from the end. */
    public static Tensor apply(Tensor x, int axis) {
        int[] shape = x.shape();
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length || shape[a] == 0) {
            throw new IllegalArgumentException("softmax: needs a non-empty axis " + axis + ", got shape "
                    + Shapes.format(shape));
        }
        int cols = shape[a];
        int inner = (int) Shapes.size(Arrays.copyOfRange(shape, a + 1, shape.length));
        int outer = x.size() / (cols * inner);
        float[] y = new float[x.size()];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                softmaxStrided(x.data(), y, o * cols * inner + j, cols, inner);
            }
        }
        return Tensor.result("softmax", new int[] {a}, y, shape, gy -> {
            float[] gx = x.gradBuffer();
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < inner; j++) { // gx = y·(gy − Σ gy·y)
                    int off = o * cols * inner + j;
                    double dot = 0;
                    for (int k = 0; k < cols; k++) {
                        dot += (double) gy[off + k * inner] * y[off + k * inner];
                    }
                    for (int k = 0; k < cols; k++) {
                        int i = off + k * inner;
                        gx[i] += (float) (y[i] * (gy[i] - dot));
                    }
                }
            }
        }, x);
    }

    /** Softmax of the {@code cols} values at {@code off, off + stride, …}. */
    private static void softmaxStrided(float[] x, float[] y, int off, int cols, int stride) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < cols; k++) {
            max = Math.max(max, x[off + k * stride]);
        }
        double total = 0;
        for (int k = 0; k < cols; k++) {
            double e = Math.exp((double) x[off + k * stride] - max);
            y[off + k * stride] = (float) e;
            total += e;
        }
        for (int k = 0; k < cols; k++) {
            y[off + k * stride] = (float) (y[off + k * stride] / total);
        }
    }

    /** {@code y[off..off+cols) = softmax(x[off..off+cols))}; also used by the cross-entropy loss. */
    static void softmaxRow(float[] x, float[] y, int off, int cols) {
        softmaxStrided(x, y, off, cols, 1);
    }
}
