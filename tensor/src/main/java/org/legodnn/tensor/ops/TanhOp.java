package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;

/** {@code tanh(x)}: a bounded activation in [-1, 1] for heads that regress signed offsets. */
public final class TanhOp {

    private TanhOp() {
    }

    public static Tensor apply(Tensor x) {
        Backend backend = Backends.current();
        float[] y = new float[x.size()];
        backend.tanh(y.length, x.data(), y);
        return Tensor.result("tanh", y, x.shape(), gy -> {
            float[] gx = new float[gy.length];
            for (int i = 0; i < gx.length; i++) { // tanh' = 1 − tanh²
                gx[i] = gy[i] * (1f - y[i] * y[i]);
            }
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
