package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/** Softmax along the last dimension: class scores to probabilities, stable by subtracting each row's max. */
public final class SoftmaxOp {

    private SoftmaxOp() {
    }

    public static Tensor apply(Tensor x) {
        if (x.rank() < 1 || x.dim(-1) == 0) {
            throw new IllegalArgumentException("softmax: needs a non-empty last dimension, got shape "
                    + Shapes.format(x.shape()));
        }
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        float[] y = new float[x.size()];
        for (int r = 0; r < rows; r++) {
            softmaxRow(x.data(), y, r * cols, cols);
        }
        return Tensor.result("softmax", y, x.shape(), gy -> {
            float[] gx = x.gradBuffer();
            for (int r = 0; r < rows; r++) { // gx = y·(gy − Σ gy·y)
                int off = r * cols;
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += (double) gy[off + j] * y[off + j];
                }
                for (int j = 0; j < cols; j++) {
                    gx[off + j] += (float) (y[off + j] * (gy[off + j] - dot));
                }
            }
        }, x);
    }

    /** {@code y[off..off+cols) = softmax(x[off..off+cols))}; also used by the cross-entropy loss. */
    static void softmaxRow(float[] x, float[] y, int off, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[off + j]);
        }
        double total = 0;
        for (int j = 0; j < cols; j++) {
            double e = Math.exp((double) x[off + j] - max);
            y[off + j] = (float) e;
            total += e;
        }
        for (int j = 0; j < cols; j++) {
            y[off + j] = (float) (y[off + j] / total);
        }
    }
}
