package org.legodnn.tensor.ops;

import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.pool.PoolGeometry;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Average pooling, PyTorch's {@code F.avg_pool2d}, for smooth downsampling; {@code countIncludePad}
 * decides whether padded positions count in each window's divisor.
 */
public final class AvgPool2dOp {

    private AvgPool2dOp() {
    }

    public static Tensor apply(Tensor x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        Shapes.requireRank("avg_pool2d", "input", x, 4);
        PoolGeometry g = PoolGeometry.square(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernel, stride, padding, ceilMode);
        Backend backend = Backends.current();
        float[] y = new float[g.outputSize()];
        backend.avgPool2d(g, countIncludePad, x.data(), y);
        int[] shape = {g.n(), g.c(), g.outH(), g.outW()};
        return Tensor.result("avg_pool2d", y, shape, gy -> {
            float[] gx = new float[g.inputSize()];
            backend.avgPool2dBackward(g, countIncludePad, gy, gx);
            Grad.accumulate(backend, x, gx);
        }, x);
    }
}
