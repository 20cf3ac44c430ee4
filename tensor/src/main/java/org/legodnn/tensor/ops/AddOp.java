package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.Workspace;

/** Elementwise sum of two tensors of one shape: the residual connection of a ResNet. */
public final class AddOp {

    private AddOp() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Shapes.requireSame("add", a, b);
        Backend backend = Backends.current();
        float[] y = Workspace.array(a.size());
        backend.add(y.length, a.data(), b.data(), y);
        return Tensor.result("add", y, a.shape(), gy -> {
            // gy is this result's own gradient, which nothing reads after this function: a may take it as is.
            if (a.requiresGrad()) {
                Grad.accumulate(backend, a, gy);
            }
            if (b.requiresGrad()) {
                Grad.accumulate(backend, b, b.grad() == null ? copyOf(gy) : gy);
            }
        }, a, b);
    }

    private static float[] copyOf(float[] g) {
        float[] c = Workspace.array(g.length);
        System.arraycopy(g, 0, c, 0, g.length);
        return c;
    }
}
