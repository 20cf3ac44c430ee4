package org.legodnn.tensor.ops;

import org.legodnn.tensor.Tensor;

/** The sum of every value as a scalar, so that any tensor can be turned into something to minimize. */
public final class SumOp {

    private SumOp() {
    }

    public static Tensor apply(Tensor x) {
        float[] xd = x.data();
        double total = 0;
        for (float v : xd) {
            total += v;
        }
        return Tensor.result("sum", new float[] {(float) total}, new int[0], gy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) {
                gx[i] += gy[0];
            }
        }, x);
    }
}
