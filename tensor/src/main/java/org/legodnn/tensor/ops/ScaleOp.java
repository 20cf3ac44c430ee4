package org.legodnn.tensor.ops;

import org.legodnn.tensor.Tensor;

/**
 * Multiplication by a constant, for loss weights and averaging without a second tensor. The factor travels as
 * the op's one setting (its float bits), so that a traced model's averages become a multiplication by a constant.
 */
public final class ScaleOp {

    private ScaleOp() {
    }

    public static Tensor apply(Tensor x, float factor) {
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = xd[i] * factor;
        }
        return Tensor.result("scale", new int[] {Float.floatToIntBits(factor)}, y, x.shape(), gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gy.length; i++) {
                gx[i] += gy[i] * factor;
            }
        }, x);
    }
}
