package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;

/** {@code e^x}: a YOLO head's box width and height are {@code anchor · e^t}. */
public final class ExpOp {

    private ExpOp() {
    }

    public static Tensor apply(Tensor x) {
        Backend backend = Backends.current();
        float[] y = new float[x.size()];
        backend.exp(y.length, x.data(), y);
        return Tensor.result("exp", y, x.shape(), gy -> {
            float[] gx = new float[gy.length];
            for (int i = 0; i < gx.length; i++) { // (e^x)' = e^x
                gx[i] = gy[i] * y[i];
            }
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
