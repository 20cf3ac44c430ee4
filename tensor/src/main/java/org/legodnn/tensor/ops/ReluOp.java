package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.Workspace;

/** {@code max(x, 0)}: the nonlinearity between the convolutions of a ResNet. */
public final class ReluOp {

    private ReluOp() {
    }

    public static Tensor apply(Tensor x) {
        Backend backend = Backends.current();
        float[] y = Workspace.array(x.size());
        backend.relu(y.length, x.data(), y);
        return Tensor.result("relu", y, x.shape(), gy -> {
            // gy is this result's own gradient, which nothing reads after this function: reuse it for gx.
            backend.reluBackward(gy.length, x.data(), gy, gy);
            Grad.accumulate(backend, x, gy);
        }, x);
    }
}
