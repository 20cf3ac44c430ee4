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
            if (a.requiresGrad() && a.grad() == null) {
                a.setGrad(gy); // gy is this result's own gradient, which nothing reads after this function
            } else if (a.requiresGrad()) {
                backend.addInPlace(gy.length, a.grad(), gy);
            }
            if (b.requiresGrad() && b.grad() == null) {
                float[] gb = Workspace.array(gy.length);
                System.arraycopy(gy, 0, gb, 0, gy.length);
                b.setGrad(gb);
            } else if (b.requiresGrad()) {
                backend.addInPlace(gy.length, b.grad(), gy);
            }
        }, a, b);
    }
}
