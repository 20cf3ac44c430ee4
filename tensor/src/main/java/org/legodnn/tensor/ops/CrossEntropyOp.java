package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * The classification loss (and, per pixel, the segmentation loss), PyTorch's {@code F.cross_entropy} with mean
 * reduction: log-softmax (with the row maximum subtracted, so large logits do not overflow) and the negative
 * log-likelihood of the target class in one op, whose gradient is the simple {@code (softmax − onehot)/N}.
 */
public final class CrossEntropyOp {

    private CrossEntropyOp() {
    }

    /**
     * {@code logits [N, C]}, {@code target[i]} in {@code [0, C)}; a scalar. Logits {@code [N, C, d1, ...]} (a
     * class score per pixel, as segmentation outputs) take one target per position, {@code target[(n × d1 +
     * i1) × d2 + ...]}, and the mean is over all {@code N × d1 × ...} positions, as PyTorch's.
     */
    public static Tensor apply(Tensor logits, int[] target) {
        if (logits.rank() > 2) {
            return spatial(logits, target);
        }
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

    /** Per-position cross-entropy of {@code [N, C, d1, ...]}: classes are {@code S = d1 × ...} values apart. */
    private static Tensor spatial(Tensor logits, int[] target) {
        int n = logits.dim(0);
        int c = logits.dim(1);
        int positions = logits.size() / Math.max(1, n * c);
        long count = (long) n * positions;
        if (target.length != count || count == 0 || c == 0) {
            throw new IllegalArgumentException("cross_entropy: logits " + Shapes.format(logits.shape()) + " need "
                    + count + " targets (one per position of each image, at least one), got " + target.length);
        }
        float[] x = logits.data();
        float[] probs = new float[x.length];
        double[] max = new double[positions];
        double[] sum = new double[positions];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int base = i * c * positions;
            // Class by class over contiguous positions: the maximum, then exp(x - max) and its sum, then the loss.
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int j = 0; j < c; j++) {
                int row = base + j * positions;
                for (int s = 0; s < positions; s++) {
                    max[s] = Math.max(max[s], x[row + s]);
                }
            }
            java.util.Arrays.fill(sum, 0);
            for (int j = 0; j < c; j++) {
                int row = base + j * positions;
                for (int s = 0; s < positions; s++) {
                    double e = Math.exp(x[row + s] - max[s]);
                    probs[row + s] = (float) e;
                    sum[s] += e;
                }
            }
            for (int s = 0; s < positions; s++) {
                int t = target[i * positions + s];
                if (t < 0 || t >= c) {
                    throw new IllegalArgumentException("cross_entropy: target[" + (i * positions + s) + "] = " + t
                            + " is not a class of logits " + Shapes.format(logits.shape()));
                }
                total += max[s] + Math.log(sum[s]) - x[base + t * positions + s];
            }
            for (int j = 0; j < c; j++) {
                int row = base + j * positions;
                for (int s = 0; s < positions; s++) {
                    probs[row + s] = (float) (probs[row + s] / sum[s]);
                }
            }
        }
        return Tensor.result("cross_entropy", new float[] {(float) (total / count)}, new int[0], gy -> {
            float[] gx = logits.gradBuffer();
            float scale = (float) (gy[0] / count);
            for (int i = 0; i < n; i++) {
                int base = i * c * positions;
                for (int j = 0; j < c; j++) {
                    int row = base + j * positions;
                    for (int s = 0; s < positions; s++) {
                        float onehot = target[i * positions + s] == j ? 1f : 0f;
                        gx[row + s] += (probs[row + s] - onehot) * scale;
                    }
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
