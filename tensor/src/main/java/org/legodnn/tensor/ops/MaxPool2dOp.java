package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.pool.PoolGeometry;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Max pooling, PyTorch's {@code F.max_pool2d}: the stem's downsampling in ResNet-18. The forward records
 * which input won each window, so the backward only scatters {@code gy} back to those positions.
 */
public final class MaxPool2dOp {

    private MaxPool2dOp() {
    }

    public static Tensor apply(Tensor x, int kernel, int stride, int padding, boolean ceilMode) {
        Shapes.requireRank("max_pool2d", "input", x, 4);
        PoolGeometry g = PoolGeometry.square(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernel, stride, padding, ceilMode);
        Backend backend = Backends.current();
        float[] y = new float[g.outputSize()];
        int[] argmax = new int[g.outputSize()];
        backend.maxPool2d(g, x.data(), y, argmax);
        int[] shape = {g.n(), g.c(), g.outH(), g.outW()};
        return Tensor.result("max_pool2d", y, shape, gy -> {
            float[] gx = new float[g.inputSize()];
            backend.maxPool2dBackward(g, gy, argmax, gx);
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
