package org.legodnn.tensor.ops;

import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/** Elementwise difference of two tensors of one shape, e.g. a prediction minus its target. */
public final class SubOp {

    private SubOp() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Shapes.requireSame("sub", a, b);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] y = new float[ad.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = ad[i] - bd[i];
        }
        return Tensor.result("sub", y, a.shape(), gy -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < gy.length; i++) {
                    ga[i] += gy[i];
                }
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradBuffer();
                for (int i = 0; i < gy.length; i++) {
                    gb[i] -= gy[i];
                }
            }
        }, a, b);
    }
}
