package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;

/** {@code min(max(x, 0), 6)}: MobileNet's activation, bounded so it survives low-precision arithmetic. */
public final class Relu6Op {

    private Relu6Op() {
    }

    public static Tensor apply(Tensor x) {
        Backend backend = Backends.current();
        float[] y = new float[x.size()];
        backend.relu6(y.length, x.data(), y);
        return Tensor.result("relu6", y, x.shape(), gy -> {
            float[] gx = new float[gy.length];
            backend.relu6Backward(gy.length, x.data(), gy, gx);
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
