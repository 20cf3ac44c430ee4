package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Mean squared error, PyTorch's {@code F.mse_loss} with mean reduction: the loss that retrains a
 * descendant block to reproduce its teacher's feature maps.
 */
public final class MseOp {

    private MseOp() {
    }

    public static Tensor apply(Tensor prediction, Tensor target) {
        Shapes.requireSame("mse_loss", prediction, target);
        float[] p = prediction.data();
        float[] t = target.data();
        int count = p.length;
        if (count == 0) {
            throw new IllegalArgumentException("mse_loss: empty input " + Shapes.format(prediction.shape()));
        }
        double total = 0;
        for (int i = 0; i < count; i++) {
            double d = (double) p[i] - t[i];
            total += d * d;
        }
        return Tensor.result("mse_loss", new float[] {(float) (total / count)}, new int[0], gy -> {
            float scale = 2f * gy[0] / count;
            if (prediction.requiresGrad()) {
                float[] gp = prediction.gradBuffer();
                for (int i = 0; i < count; i++) {
                    gp[i] += (p[i] - t[i]) * scale;
                }
            }
            if (target.requiresGrad()) {
                float[] gt = target.gradBuffer();
                for (int i = 0; i < count; i++) {
                    gt[i] -= (p[i] - t[i]) * scale;
                }
            }
        }, prediction, target);
    }
}
