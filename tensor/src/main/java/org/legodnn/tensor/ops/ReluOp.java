package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;

/** {@code max(x, 0)}: the nonlinearity between the convolutions of a ResNet. */
public final class ReluOp {

    private ReluOp() {
    }

    public static Tensor apply(Tensor x) {
        Backend backend = Backends.current();
        float[] y = new float[x.size()];
        backend.relu(y.length, x.data(), y);
        return Tensor.result("relu", y, x.shape(), gy -> {
            float[] gx = new float[gy.length];
            backend.reluBackward(gy.length, x.data(), gy, gx);
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
