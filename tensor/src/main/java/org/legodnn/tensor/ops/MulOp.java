package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/** Elementwise product of two tensors of one shape, for gates and masks. */
public final class MulOp {

    private MulOp() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Shapes.requireSame("mul", a, b);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] y = new float[ad.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = ad[i] * bd[i];
        }
        return Tensor.result("mul", y, a.shape(), gy -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < gy.length; i++) {
                    ga[i] += gy[i] * bd[i];
                }
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradBuffer();
                for (int i = 0; i < gy.length; i++) {
                    gb[i] += gy[i] * ad[i];
                }
            }
        }, a, b);
    }
}
