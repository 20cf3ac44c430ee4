package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The classification loss, PyTorch's {@code F.cross_entropy} with mean reduction: log-softmax (with the
 * row maximum subtracted, so large logits do not overflow) and the negative log-likelihood of the target
 * class in one op, whose gradient is the simple {@code (softmax − onehot)/N}.
 */
public final class CrossEntropyOp {

    private CrossEntropyOp() {
    }

    /** {@code logits [N, C]}, {@code target[i]} in {@code [0, C)}; a scalar. */
    public static Tensor apply(Tensor logits, int[] target) {
        Shapes.requireRank("cross_entropy", "logits", logits, 2);
        int n = logits.dim(0);
        int c = logits.dim(1);
        if (target.length != n || n == 0) {
            throw new IllegalArgumentException("cross_entropy: logits " + Shapes.format(logits.shape()) + " need "
                    + n + " targets (at least one), got " + target.length);
        }
        float[] x = logits.data();
        float[] probs = new float[x.length];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t < 0 || t >= c) {
                throw new IllegalArgumentException("cross_entropy: target[" + i + "] = " + t + " is not a class of logits "
                        + Shapes.format(logits.shape()));
            }
            total += logSumExp(x, i * c, c) - x[i * c + t];
            SoftmaxOp.softmaxRow(x, probs, i * c, c);
        }
        return Tensor.result("cross_entropy", new float[] {(float) (total / n)}, new int[0], gy -> {
            float[] gx = logits.gradBuffer();
            float scale = gy[0] / n;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < c; j++) {
                    float onehot = j == target[i] ? 1f : 0f;
                    gx[i * c + j] += (probs[i * c + j] - onehot) * scale;
                }
            }
        }, logits);
    }

    /** {@code log Σ exp(x[off..off+len))}, computed as {@code max + log Σ exp(x − max)}. */
    private static double logSumExp(float[] x, int off, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            max = Math.max(max, x[off + j]);
        }
        double total = 0;
        for (int j = 0; j < len; j++) {
            total += Math.exp(x[off + j] - max);
        }
        return max + Math.log(total);
    }
}
