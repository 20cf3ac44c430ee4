package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;

/** {@code 1 / (1 + e^-x)}: objectness and box offsets of a YOLO head, gates between 0 and 1. */
public final class SigmoidOp {

    private SigmoidOp() {
    }

    public static Tensor apply(Tensor x) {
        Backend backend = Backends.current();
        float[] y = new float[x.size()];
        backend.sigmoid(y.length, x.data(), y);
        return Tensor.result("sigmoid", y, x.shape(), gy -> {
            float[] gx = new float[gy.length];
            for (int i = 0; i < gx.length; i++) { // σ' = σ·(1 − σ)
                gx[i] = gy[i] * y[i] * (1f - y[i]);
            }
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
