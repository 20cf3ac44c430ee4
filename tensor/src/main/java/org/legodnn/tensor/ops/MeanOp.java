package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/** The mean of every value as a scalar: a loss that does not grow with the batch size. */
public final class MeanOp {

    private MeanOp() {
    }

    public static Tensor apply(Tensor x) {
        float[] xd = x.data();
        if (xd.length == 0) {
            throw new IllegalArgumentException("mean: tensor of shape " + Shapes.format(x.shape()) + " is empty");
        }
        double total = 0;
        for (float v : xd) {
            total += v;
        }
        int count = xd.length;
        return Tensor.result("mean", new float[] {(float) (total / count)}, new int[0], gy -> {
            float[] gx = x.gradBuffer();
            float share = gy[0] / count;
            for (int i = 0; i < gx.length; i++) {
                gx[i] += share;
            }
        }, x);
    }
}
