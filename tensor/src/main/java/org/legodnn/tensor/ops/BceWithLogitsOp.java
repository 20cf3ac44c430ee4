package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Binary cross-entropy on logits with a weight per element and sum reduction, PyTorch's
 * {@code F.binary_cross_entropy_with_logits(x, t, weight=w, reduction="sum")}: the loss of a detector's
 * objectness, box offsets and independent class scores (YOLOv3), where the weight selects which of the
 * output's elements are trained at all. Computed in the stable form {@code max(x, 0) − x·t + log(1 + e^−|x|)}
 * so that no logit overflows; the gradient is {@code w·(sigmoid(x) − t)}. Target and weight are constants
 * (no gradient flows into them).
 */
public final class BceWithLogitsOp {

    private BceWithLogitsOp() {
    }

    public static Tensor apply(Tensor logits, Tensor target, Tensor weight) {
        Shapes.requireSame("binary_cross_entropy_with_logits (target)", logits, target);
        Shapes.requireSame("binary_cross_entropy_with_logits (weight)", logits, weight);
        float[] x = logits.data();
        float[] t = target.data();
        float[] w = weight.data();
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            if (w[i] != 0) {
                double v = x[i];
                total += w[i] * (Math.max(v, 0) - v * t[i] + Math.log1p(Math.exp(-Math.abs(v))));
            }
        }
        return Tensor.result("binary_cross_entropy_with_logits", new float[] {(float) total}, new int[0], gy -> {
            if (logits.requiresGrad()) {
                float[] gx = logits.gradBuffer();
                for (int i = 0; i < x.length; i++) {
                    if (w[i] != 0) {
                        gx[i] += gy[0] * w[i] * (sigmoid(x[i]) - t[i]);
                    }
                }
            }
        }, logits);
    }

    /** {@code 1 / (1 + e^−x)} without overflow for large |x|. */
    static float sigmoid(float x) {
        if (x >= 0) {
            return (float) (1 / (1 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1 + e));
    }
}
