package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Mean absolute error, PyTorch's {@code F.l1_loss} with mean reduction: GANomaly's contextual loss, which keeps a
 * reconstruction sharp where squared error would blur it. The gradient is {@code sign(p − t) / n}, 0 where they
 * are equal (as PyTorch's).
 */
public final class L1Op {

    private L1Op() {
    }

    public static Tensor apply(Tensor prediction, Tensor target) {
        Shapes.requireSame("l1_loss", prediction, target);
        float[] p = prediction.data();
        float[] t = target.data();
        int count = p.length;
        if (count == 0) {
            throw new IllegalArgumentException("l1_loss: empty input " + Shapes.format(prediction.shape()));
        }
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += Math.abs((double) p[i] - t[i]);
        }
        return Tensor.result("l1_loss", new float[] {(float) (total / count)}, new int[0], gy -> {
            float scale = gy[0] / count;
            if (prediction.requiresGrad()) {
                float[] gp = prediction.gradBuffer();
                for (int i = 0; i < count; i++) {
                    gp[i] += Math.signum(p[i] - t[i]) * scale;
                }
            }
            if (target.requiresGrad()) {
                float[] gt = target.gradBuffer();
                for (int i = 0; i < count; i++) {
                    gt[i] -= Math.signum(p[i] - t[i]) * scale;
                }
            }
        }, prediction, target);
    }
}
